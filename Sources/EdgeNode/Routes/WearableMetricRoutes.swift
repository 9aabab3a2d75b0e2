import Domain
import Foundation
import Hummingbird
import Replication

/// `/wearables/metrics/…` and `/wearables/summary/today`: a patient's health metrics as the
/// CloudCare Android client reads them — computed from the rollups, never by scanning raw samples
/// (except the endpoints that list samples). Days are calendar days in the node's time zone, or
/// the request's `tz`. The patient, or a doctor under consent or break-glass; every read audited.
struct WearableMetricRoutes {
    /// The types the summary and `comprehensive` show, with the contract's names.
    static let summaryTypes: [MetricType] = [.steps, .calories, .heartRate, .distance, .flightsClimbed]

    let metrics: HealthMetricRepository
    let access: PatientDataAccess
    let audit: AuditTrail
    let clock: any PhysicalClock
    let zone: TimeZone
    let comprehensiveResponses: ComprehensiveResponseCache

    func register(on api: RouteRegistrar) {
        let tag = "Wearables"
        let readers = EndpointAccess.roles([.patient, .doctor])
        let patient = WearableRoutes.patientQuery
        let tz = Endpoint.Query(name: "tz", description: "IANA time zone of the calendar days (default: the node's)")
        let days = Endpoint.Query(name: "days", description: "How many days up to today (1–366, default 30)", schema: .integer)
        let type = Endpoint.Query(name: "metric_type", description: "A metric type (contract, HealthKit or display name)", required: true)
        api.add(.get, "wearables/metrics/comprehensive", tag, "Today's summary, daily and hourly series and device info in one call",
                access: readers, documented: {
            $0.query = [patient, days, tz]
            $0.success = (200, APISchemas.named("ComprehensiveMetrics"))
        }, use: comprehensive)
        api.add(.get, "wearables/summary/today", tag, "Today's summary", access: readers, documented: {
            $0.query = [patient, tz]
            $0.success = (200, .object([("patient_id", .formatted("uuid")), ("date", .formatted("date")), ("summary", APISchemas.named("MetricSummary"))]))
        }, use: today)
        api.add(.get, "wearables/metrics/recent", tag, "The newest samples: within `hours`, at most `limit`", access: readers, documented: {
            $0.query = [patient, .init(name: "hours", description: "How far back (1–720, default 24)", schema: .integer),
                        .init(name: "limit", description: "At most (1–1000, default 100)", schema: .integer)]
            $0.success = (200, .object([("patient_id", .formatted("uuid")), ("hours", .integer), ("count", .integer), ("metrics", .array(APISchemas.named("HealthSample")))]))
        }, use: recent)
        api.add(.get, "wearables/metrics/aggregated", tag, "One metric per hour, day or week: between start_date and end_date (daily), or over `days` by `period`",
                access: readers, documented: {
            $0.query = [patient, type, .init(name: "start_date", description: "YYYY-MM-DD", schema: .formatted("date")),
                        .init(name: "end_date", description: "YYYY-MM-DD", schema: .formatted("date")),
                        .init(name: "period", description: "hourly, daily (default) or weekly", schema: .oneOf(["hourly", "daily", "weekly"])), days, tz]
            $0.success = (200, .object([
                ("patient_id", .formatted("uuid")), ("metric_type", .string), ("period", .string), ("unit", .string),
                ("points", .array(.object([("date", .string), ("total", .number), ("avg", .number), ("min", .number), ("max", .number), ("count", .integer), ("unit", .string)]))),
            ]))
        }, use: aggregated)
        api.add(.get, "wearables/metrics/by-type", tag, "One metric's samples over `days` (or start_date–end_date), oldest first", access: readers, documented: {
            $0.query = [patient, type, days, .init(name: "start_date", description: "YYYY-MM-DD", schema: .formatted("date")),
                        .init(name: "end_date", description: "YYYY-MM-DD", schema: .formatted("date")),
                        .init(name: "limit", description: "At most (1–10000, default 5000)", schema: .integer), tz]
            $0.success = (200, .object([
                ("patient_id", .formatted("uuid")), ("metric_type", .string), ("start_date", .formatted("date")), ("end_date", .formatted("date")),
                ("count", .integer), ("metrics", .array(APISchemas.named("HealthSample"))),
            ]))
        }, use: byType)
        api.add(.get, "wearables/metrics/sleep-trends", tag, "Each night's time in bed and asleep", access: readers, documented: {
            $0.query = [patient, days, tz]
            $0.success = (200, .object([("patient_id", .formatted("uuid")), ("days", .integer),
                                        ("data", .array(.object([("date", .formatted("date")), ("time_in_bed", .number), ("time_asleep", .number)])))]))
        }, use: sleepTrends)
        api.add(.get, "wearables/metrics/heart-rate-trends", tag, "Each day's average, lowest and highest heart rate", access: readers, documented: {
            $0.query = [patient, days, tz]
            $0.success = (200, .object([("patient_id", .formatted("uuid")), ("days", .integer),
                                        ("data", .array(.object([("date", .formatted("date")), ("bpm", .number), ("min_bpm", .number), ("max_bpm", .number)])))]))
        }, use: heartRateTrends)
    }

    // MARK: Handlers

    @Sendable func comprehensive(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let query = try await MetricQuery(request, context: context, routes: self)
        let key = ComprehensiveResponseCache.Key(
            patient: query.patient.description, days: query.days, zone: query.calendar.zone.identifier,
            hour: query.calendar.hours(endingWith: query.now, count: 1)[0].start
        )
        let timestamp = Timestamps.api(Date(timeIntervalSince1970: Double(query.now) / 1000))
        return try await comprehensiveResponses.response(for: key, timestamp: timestamp) { try await comprehensive(query, requestTimestamp: $0) }
    }

    private func comprehensive(_ query: MetricQuery, requestTimestamp: String) async throws -> ComprehensiveMetricsPayload {
        let days = query.calendar.days(endingWith: query.now, count: max(2, query.days))
        let snapshot = try await metrics.snapshot(of: query.patient, types: Self.summaryTypes, within: Self.reading(days))
        let shown = Array(days.suffix(query.days))
        let hours = query.calendar.hours(endingWith: query.now, count: 24)
        func daily(_ type: MetricType) -> [DailyPoint] {
            zip(shown, MetricAggregate.per(shown.map(\.span), of: snapshot.rollups[type] ?? [])).compactMap { day, aggregate in
                aggregate.count > 0 ? DailyPoint(date: day.date.description, aggregate, type: type) : nil
            }
        }
        func hourly(_ type: MetricType) -> [DailyPoint] {
            zip(hours, MetricAggregate.per(hours, of: snapshot.rollups[type] ?? [])).compactMap { hour, aggregate in
                aggregate.count > 0 ? DailyPoint(date: query.calendar.hourLabel(hour.start), aggregate, type: type) : nil
            }
        }
        let nights = shown.compactMap { day -> SleepPoint? in
            let sleep = SleepSummary(spans: snapshot.sleep, within: MetricCalendar.night(of: day))
            return sleep.timeInBed > 0 ? SleepPoint(date: day.date.description, sleep) : nil
        }
        return ComprehensiveMetricsPayload(
            patientId: query.patient.description, requestTimestamp: requestTimestamp,
            summary: MetricSummaryPayload(snapshot, today: days[days.count - 1], yesterday: days[days.count - 2]),
            timeSeries: .init(
                steps: daily(.steps), stepsHourly: hourly(.steps), calories: daily(.calories), caloriesHourly: hourly(.calories),
                heartRate: daily(.heartRate), heartRateHourly: hourly(.heartRate), distance: daily(.distance), distanceHourly: hourly(.distance),
                sleep: nights
            ),
            deviceInfo: DeviceInfoPayload(snapshot.totals)
        )
    }

    @Sendable func today(_ request: Request, context: EdgeRequestContext) async throws -> TodaySummaryPayload {
        let query = try await MetricQuery(request, context: context, routes: self)
        let days = query.calendar.days(endingWith: query.now, count: 2)
        let snapshot = try await metrics.snapshot(of: query.patient, types: Self.summaryTypes, within: Self.reading(days))
        return TodaySummaryPayload(
            patientId: query.patient.description, date: days[1].date.description,
            summary: MetricSummaryPayload(snapshot, today: days[1], yesterday: days[0])
        )
    }

    @Sendable func recent(_ request: Request, context: EdgeRequestContext) async throws -> RecentMetricsPayload {
        let query = try await MetricQuery(request, context: context, routes: self)
        var check = Validator()
        let hours = check.count("hours", try query.integer("hours"), in: 1...720) ?? 24
        let limit = check.count("limit", try query.integer("limit"), in: 1...1000) ?? 100
        try check.check()
        let span = TimeSpan(start: query.now - Int64(hours) * MetricCalendar.hour, end: query.now + HealthSample.futureAllowance)
        let samples = try await metrics.samples(of: query.patient, types: MetricType.allCases, within: span, limit: limit)
        return RecentMetricsPayload(patientId: query.patient.description, hours: hours, count: samples.count, metrics: samples.map(SamplePayload.init))
    }

    @Sendable func aggregated(_ request: Request, context: EdgeRequestContext) async throws -> AggregatedMetricsPayload {
        let query = try await MetricQuery(request, context: context, routes: self)
        let type = try query.metricType()
        guard type.aggregation != .interval else {
            throw APIError.unprocessable([.init(field: "metric_type", message: "sleep is summarised by /wearables/metrics/sleep-trends")])
        }
        var check = Validator()
        let period = request.uri.queryParameters.get("period") ?? "daily"
        if !["hourly", "daily", "weekly"].contains(period) { check.fail("period", "must be hourly, daily or weekly") }
        try check.check()
        let windows: [(label: String, span: TimeSpan)]
        if let range = try query.dateRange() {
            windows = range.map { ($0.date.description, $0.span) }
        } else if period == "hourly" {
            windows = query.calendar.hours(endingWith: query.now, count: min(query.days, 31) * 24).map { (query.calendar.hourLabel($0.start), $0) }
        } else {
            let days = query.calendar.days(endingWith: query.now, count: query.days)
            let size = period == "weekly" ? 7 : 1
            windows = stride(from: 0, to: days.count, by: size).map { index in
                let last = days[min(index + size, days.count) - 1]
                return (days[index].date.description, TimeSpan(start: days[index].span.start, end: last.span.end))
            }
        }
        let spans = windows.map(\.span)
        let reading = TimeSpan(start: spans.first?.start ?? query.now, end: spans.last?.end ?? query.now)
        let snapshot = try await metrics.snapshot(of: query.patient, types: [type], within: reading)
        let points = zip(windows, MetricAggregate.per(spans, of: snapshot.rollups[type] ?? [])).compactMap { window, aggregate in
            aggregate.count > 0 ? AggregatePoint(date: window.label, aggregate, type: type) : nil
        }
        return AggregatedMetricsPayload(patientId: query.patient.description, metricType: type.rawValue, period: period, unit: type.unit, points: points)
    }

    @Sendable func byType(_ request: Request, context: EdgeRequestContext) async throws -> MetricsByTypePayload {
        let query = try await MetricQuery(request, context: context, routes: self)
        let type = try query.metricType()
        var check = Validator()
        let limit = check.count("limit", try query.integer("limit"), in: 1...10_000) ?? 5000
        try check.check()
        let days = try query.dateRange() ?? query.calendar.days(endingWith: query.now, count: query.days)
        let span = TimeSpan(start: days[0].span.start, end: days[days.count - 1].span.end)
        let samples = try await metrics.samples(of: query.patient, types: [type], within: span, limit: limit).reversed()
        return MetricsByTypePayload(
            patientId: query.patient.description, metricType: type.rawValue, startDate: days[0].date.description,
            endDate: days[days.count - 1].date.description, count: samples.count, metrics: samples.map(SamplePayload.init)
        )
    }

    @Sendable func sleepTrends(_ request: Request, context: EdgeRequestContext) async throws -> TrendPayload<SleepTrendPoint> {
        let query = try await MetricQuery(request, context: context, routes: self)
        let days = query.calendar.days(endingWith: query.now, count: query.days)
        let snapshot = try await metrics.snapshot(of: query.patient, types: [], within: Self.reading(days))
        let data = days.compactMap { day -> SleepTrendPoint? in
            let sleep = SleepSummary(spans: snapshot.sleep, within: MetricCalendar.night(of: day))
            return sleep.timeInBed > 0 ? SleepTrendPoint(date: day.date.description, timeInBed: sleep.timeInBed, timeAsleep: sleep.timeAsleep) : nil
        }
        return TrendPayload(patientId: query.patient.description, days: query.days, data: data)
    }

    @Sendable func heartRateTrends(_ request: Request, context: EdgeRequestContext) async throws -> TrendPayload<HeartRateTrendPoint> {
        let query = try await MetricQuery(request, context: context, routes: self)
        let days = query.calendar.days(endingWith: query.now, count: query.days)
        let snapshot = try await metrics.snapshot(of: query.patient, types: [.heartRate], within: Self.reading(days))
        let data = zip(days, MetricAggregate.per(days.map(\.span), of: snapshot.rollups[.heartRate] ?? [])).compactMap { day, aggregate in
            aggregate.count > 0
                ? HeartRateTrendPoint(date: day.date.description, bpm: Self.rounded(aggregate.average), minBpm: aggregate.minimum, maxBpm: aggregate.maximum)
                : nil
        }
        return TrendPayload(patientId: query.patient.description, days: query.days, data: data)
    }

    /// What to read for `days`: the days themselves and the night before the first.
    static func reading(_ days: [MetricCalendar.Day]) -> TimeSpan {
        TimeSpan(start: MetricCalendar.night(of: days[0]).start, end: days[days.count - 1].span.end)
    }

    static func rounded(_ value: Double, places: Double = 10) -> Double {
        (value * places).rounded() / places
    }
}

/// The common parameters of a metrics read, checked, with the caller's access to the patient
/// checked and the read audited.
struct MetricQuery {
    let request: Request
    let patient: Patient.ID
    let calendar: MetricCalendar
    let days: Int
    let now: Int64

    init(_ request: Request, context: EdgeRequestContext, routes: WearableMetricRoutes) async throws {
        self.request = request
        let principal = try context.requirePrincipal()
        let patient = try await routes.access.readableID(try WearableRoutes.patientID(request), by: principal)
        var check = Validator()
        var zone = routes.zone
        if let name = request.uri.queryParameters.get("tz") {
            if let named = TimeZone(identifier: name) { zone = named } else { check.fail("tz", "is not a known time zone") }
        }
        let days = request.uri.queryParameters.get("days")
        if let days, Int(days) == nil { check.fail("days", "must be a whole number") }
        let count = check.count("days", days.flatMap { Int($0) }, in: 1...366) ?? 30
        try check.check()
        self.patient = patient
        self.calendar = MetricCalendar(zone: zone)
        self.days = count
        self.now = Int64(routes.clock.nowMilliseconds())
        try await routes.audit.record(.init(principal, .read, "health_metrics", id: patient.description, patient: patient, clientAddress: context.remoteAddress))
    }

    /// An optional whole-number parameter: 422 when present and not a number.
    func integer(_ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text) else { throw APIError.unprocessable([.init(field: name, message: "must be a whole number")]) }
        return value
    }

    /// The required `metric_type`, under any name the ingest accepts.
    func metricType() throws -> MetricType {
        let name = request.uri.queryParameters.get("metric_type") ?? ""
        guard let type = HealthKitNames.metric(named: name) else {
            throw APIError.unprocessable([.init(field: "metric_type", message: name.isEmpty ? "is required" : "is not a known metric type")])
        }
        return type
    }

    /// `start_date` … `end_date` as local days (both or neither; at most 366 days).
    func dateRange() throws -> [MetricCalendar.Day]? {
        let start = request.uri.queryParameters.get("start_date"), end = request.uri.queryParameters.get("end_date")
        guard start != nil || end != nil else { return nil }
        guard let first = start.flatMap(CalendarDate.init), let last = end.flatMap(CalendarDate.init), first <= last else {
            throw APIError.unprocessable([.init(field: "start_date", message: "start_date and end_date must both be YYYY-MM-DD, in order")])
        }
        return calendar.days(from: first, through: last, limit: 366)
    }
}
