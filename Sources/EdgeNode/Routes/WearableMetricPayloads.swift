import Domain
import Foundation
import Hummingbird

/// `GET /wearables/metrics/comprehensive`, as the contract shows it.
struct ComprehensiveMetricsPayload: ResponseEncodable {
    struct TimeSeries: Encodable {
        let steps: [DailyPoint]
        let stepsHourly: [DailyPoint]
        let calories: [DailyPoint]
        let caloriesHourly: [DailyPoint]
        let heartRate: [DailyPoint]
        let heartRateHourly: [DailyPoint]
        let distance: [DailyPoint]
        let distanceHourly: [DailyPoint]
        let sleep: [SleepPoint]
    }

    let patientId: String
    let requestTimestamp: String
    let summary: MetricSummaryPayload
    let timeSeries: TimeSeries
    let deviceInfo: DeviceInfoPayload
}

/// Today's figures, each with its change from yesterday; sleep is last night's.
struct MetricSummaryPayload: Encodable {
    struct Total: Encodable {
        let total: Double
        let change: String?
    }

    struct HeartRate: Encodable {
        let avg: Double?
        let min: Double?
        let max: Double?
        let change: String?
    }

    struct Distance: Encodable {
        let total: Double
        let unit: String
    }

    struct Flights: Encodable {
        let total: Double
    }

    struct Sleep: Encodable {
        struct Stages: Encodable {
            let awake: Double
            let rem: Double
            let core: Double
            let deep: Double
        }

        let timeInBed: Double
        let timeAsleep: Double
        let unit: String
        let stages: Stages
    }

    let steps: Total
    let calories: Total
    let heartRate: HeartRate
    let distance: Distance
    let flightsClimbed: Flights
    let sleep: Sleep

    init(_ snapshot: HealthMetricRepository.Snapshot, today: MetricCalendar.Day, yesterday: MetricCalendar.Day) {
        func days(_ type: MetricType) -> (yesterday: MetricAggregate, today: MetricAggregate) {
            let both = MetricAggregate.per([yesterday.span, today.span], of: snapshot.rollups[type] ?? [])
            return (both[0], both[1])
        }
        func total(_ type: MetricType) -> Total {
            let (before, now) = days(type)
            return Total(total: WearableMetricRoutes.rounded(now.total), change: MetricAggregate.change(from: before.total, to: now.total))
        }
        steps = total(.steps)
        calories = total(.calories)
        let (before, now) = days(.heartRate)
        heartRate = HeartRate(
            avg: now.count > 0 ? WearableMetricRoutes.rounded(now.average) : nil, min: now.count > 0 ? now.minimum : nil,
            max: now.count > 0 ? now.maximum : nil, change: now.count > 0 ? MetricAggregate.change(from: before.average, to: now.average) : nil
        )
        distance = Distance(total: WearableMetricRoutes.rounded(days(.distance).today.total, places: 100), unit: MetricType.distance.unit)
        flightsClimbed = Flights(total: days(.flightsClimbed).today.total)
        let night = SleepSummary(spans: snapshot.sleep, within: MetricCalendar.night(of: today))
        sleep = Sleep(
            timeInBed: night.timeInBed, timeAsleep: night.timeAsleep, unit: "hours",
            stages: .init(awake: night.awake, rem: night.rem, core: night.core, deep: night.deep)
        )
    }
}

/// One day's (or hour's) figures of a metric: `date` is `YYYY-MM-DD` (or `YYYY-MM-DD HH:00`).
/// Averaged metrics also carry their lowest and highest reading.
struct DailyPoint: Encodable {
    let date: String
    let total: Double
    let avg: Double
    let count: Int
    let min: Double?
    let max: Double?

    init(date: String, _ aggregate: MetricAggregate, type: MetricType) {
        self.date = date
        total = WearableMetricRoutes.rounded(aggregate.total, places: 100)
        avg = WearableMetricRoutes.rounded(aggregate.average)
        count = aggregate.count
        let averaged = type.aggregation == .average
        min = averaged ? aggregate.minimum : nil
        max = averaged ? aggregate.maximum : nil
    }
}

/// One night's sleep, in hours.
struct SleepPoint: Encodable {
    let date: String
    let timeInBed: Double
    let timeAsleep: Double
    let awake: Double
    let rem: Double
    let core: Double
    let deep: Double

    init(date: String, _ sleep: SleepSummary) {
        self.date = date
        timeInBed = sleep.timeInBed
        timeAsleep = sleep.timeAsleep
        awake = sleep.awake
        rem = sleep.rem
        core = sleep.core
        deep = sleep.deep
    }
}

struct TodaySummaryPayload: ResponseEncodable {
    let patientId: String
    let date: String
    let summary: MetricSummaryPayload
}

/// A stored sample as the reads list it.
struct SamplePayload: Encodable {
    let metricType: String
    let value: Double
    let unit: String
    let timestamp: String
    let endTimestamp: String
    let device: String
    let source: String?

    init(_ sample: HealthMetricRepository.StoredSample) {
        metricType = sample.type.rawValue
        value = sample.value
        unit = sample.type.unit
        timestamp = Timestamps.api(Date(timeIntervalSince1970: Double(sample.start) / 1000))
        endTimestamp = Timestamps.api(Date(timeIntervalSince1970: Double(sample.end) / 1000))
        device = sample.device
        source = sample.source
    }
}

struct RecentMetricsPayload: ResponseEncodable {
    let patientId: String
    let hours: Int
    let count: Int
    let metrics: [SamplePayload]
}

struct AggregatePoint: Encodable {
    let date: String
    let total: Double
    let avg: Double
    let min: Double
    let max: Double
    let count: Int
    let unit: String

    init(date: String, _ aggregate: MetricAggregate, type: MetricType) {
        self.date = date
        total = WearableMetricRoutes.rounded(aggregate.total, places: 100)
        avg = WearableMetricRoutes.rounded(aggregate.average)
        min = aggregate.minimum
        max = aggregate.maximum
        count = aggregate.count
        unit = type.unit
    }
}

struct AggregatedMetricsPayload: ResponseEncodable {
    let patientId: String
    let metricType: String
    let period: String
    let unit: String
    let points: [AggregatePoint]
}

struct MetricsByTypePayload: ResponseEncodable {
    let patientId: String
    let metricType: String
    let startDate: String
    let endDate: String
    let count: Int
    let metrics: [SamplePayload]
}

struct TrendPayload<Point: Encodable & Sendable>: ResponseEncodable {
    let patientId: String
    let days: Int
    let data: [Point]
}

struct SleepTrendPoint: Encodable, Sendable {
    let date: String
    let timeInBed: Double
    let timeAsleep: Double
}

struct HeartRateTrendPoint: Encodable, Sendable {
    let date: String
    let bpm: Double
    let minBpm: Double
    let maxBpm: Double
}
