import Domain
import GRDB
import Replication

/// The health metrics' derived state, kept in step with `health_metrics` inside the same
/// transaction — for samples ingested here and samples replicated from elsewhere alike — so reads
/// never scan raw samples, and two replicas with the same samples have the same rollups:
///
/// - `metric_rollups`: per patient, type and quarter-hour (UTC), the sum, count, minimum and
///   maximum of the summed and averaged types. Quarter-hours tile the calendar days of every
///   zone (all of today's offsets are multiples of 15 minutes).
/// - `metric_totals`: per patient and type, the number of samples and the latest one.
/// - `sleep_spans`: per patient and sleep measure, disjoint spans of time: overlapping samples
///   (a phone and a watch recording one night) are merged, never counted twice.
///
/// A sample whose values an incoming copy replaced (see `AppendMerge`) has its quarter-hour,
/// latest sample and sleep spans recomputed from the raw rows.
struct HealthMetricRollups: AppendDerivation {
    /// Told which patients' rollups each committed transaction changed.
    var versions: MetricVersions?

    let table = DomainTables.healthMetrics.name
    static let bucketMilliseconds: Int64 = 15 * 60_000

    static func createTables(in db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE metric_rollups (
                patient_id TEXT NOT NULL,
                metric_type TEXT NOT NULL,
                bucket_ms INTEGER NOT NULL,
                total REAL NOT NULL,
                count INTEGER NOT NULL CHECK (count > 0),
                minimum REAL NOT NULL,
                maximum REAL NOT NULL,
                PRIMARY KEY (patient_id, metric_type, bucket_ms)
            ) WITHOUT ROWID;
            CREATE TABLE metric_totals (
                patient_id TEXT NOT NULL,
                metric_type TEXT NOT NULL,
                count INTEGER NOT NULL CHECK (count > 0),
                latest_id TEXT NOT NULL,
                latest_start_ms INTEGER NOT NULL,
                latest_end_ms INTEGER NOT NULL,
                latest_value REAL NOT NULL,
                PRIMARY KEY (patient_id, metric_type)
            ) WITHOUT ROWID;
            CREATE TABLE sleep_spans (
                patient_id TEXT NOT NULL,
                measure TEXT NOT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
                PRIMARY KEY (patient_id, measure, start_ms)
            ) WITHOUT ROWID;
            """)
    }

    /// A stored sample's parts; `nil` for a type this node does not know (kept, not rolled up).
    struct Sample {
        let id: String
        let patient: String
        let type: MetricType
        let span: TimeSpan
        let value: Double

        init?(id: String, _ values: [SQLValue]) {
            guard values.count >= 6, case .text(let patient) = values[0], case .text(let typeName) = values[2],
                  let type = MetricType(rawValue: typeName), case .integer(let start) = values[3], case .integer(let end) = values[4]
            else { return nil }
            let value: Double
            switch values[5] {
            case .real(let real): value = real
            case .integer(let integer): value = Double(integer)
            default: return nil
            }
            self.id = id
            self.patient = patient
            self.type = type
            self.span = TimeSpan(start: start, end: end)
            self.value = value
        }

        var bucket: Bucket { Bucket(patient: patient, type: type, start: span.start - span.start % HealthMetricRollups.bucketMilliseconds) }
        var series: Series { Series(patient: patient, type: type) }
    }

    struct Series: Hashable {
        let patient: String
        let type: MetricType
    }

    struct Bucket: Hashable {
        let patient: String
        let type: MetricType
        let start: Int64
    }

    struct Aggregate {
        var total = 0.0
        var count = 0
        var minimum = Double.infinity
        var maximum = -Double.infinity

        mutating func add(_ value: Double) {
            total += value
            count += 1
            minimum = min(minimum, value)
            maximum = max(maximum, value)
        }
    }

    func apply(_ rows: [AppendedRow], in db: Database) throws {
        if let versions {
            let patients = Set(rows.compactMap { row in row.values.first.flatMap { if case .text(let patient) = $0 { patient } else { nil } } })
            db.afterNextTransaction(onCommit: { _ in versions.bump(patients) })
        }
        var buckets: [Bucket: Aggregate] = [:]
        var totals: [Series: (count: Int, latest: Sample)] = [:]
        var bucketRepairs = Set<Bucket>(), latestRepairs = Set<Series>()
        var sleep: [(patient: String, measure: SleepMeasure, span: TimeSpan)] = []
        var sleepRepairs: [(patient: String, span: TimeSpan)] = []
        for row in rows {
            guard let sample = Sample(id: row.id, row.values) else { continue }
            if let replaced = row.replaced {
                latestRepairs.insert(sample.series)
                if sample.type.aggregation == .interval {
                    let old = Sample(id: row.id, replaced)?.span ?? sample.span
                    sleepRepairs.append((sample.patient, TimeSpan(start: min(old.start, sample.span.start), end: max(old.end, sample.span.end))))
                } else {
                    bucketRepairs.insert(sample.bucket)
                }
                continue
            }
            if sample.type.aggregation == .interval {
                for measure in SleepMeasure.measures(of: sample.type) { sleep.append((sample.patient, measure, sample.span)) }
            } else {
                buckets[sample.bucket, default: Aggregate()].add(sample.value)
            }
            let previous = totals[sample.series]
            let latest = previous.map { $0.latest.id > sample.id ? $0.latest : sample } ?? sample
            totals[sample.series] = ((previous?.count ?? 0) + 1, latest)
        }
        try addToBuckets(buckets, in: db)
        try addToTotals(totals, in: db)
        for (patient, measure, span) in sleep { try addSleep(span, patient: patient, measure: measure, in: db) }
        for bucket in bucketRepairs { try recompute(bucket, in: db) }
        for series in latestRepairs { try recomputeLatest(series, in: db) }
        for (patient, span) in sleepRepairs { try rebuildSleep(patient: patient, around: span, in: db) }
    }

    private func addToBuckets(_ buckets: [Bucket: Aggregate], in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO metric_rollups (patient_id, metric_type, bucket_ms, total, count, minimum, maximum) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (patient_id, metric_type, bucket_ms) DO UPDATE SET
                total = total + excluded.total, count = count + excluded.count,
                minimum = min(minimum, excluded.minimum), maximum = max(maximum, excluded.maximum)
            """)
        for (bucket, aggregate) in buckets {
            try statement.execute(arguments: [
                bucket.patient, bucket.type.rawValue, bucket.start, aggregate.total, aggregate.count, aggregate.minimum, aggregate.maximum,
            ])
        }
    }

    /// Counts add up; the latest sample is the one with the greatest id (start, then device).
    private func addToTotals(_ totals: [Series: (count: Int, latest: Sample)], in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO metric_totals (patient_id, metric_type, count, latest_id, latest_start_ms, latest_end_ms, latest_value)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (patient_id, metric_type) DO UPDATE SET
                count = count + excluded.count,
                latest_start_ms = CASE WHEN excluded.latest_id > latest_id THEN excluded.latest_start_ms ELSE latest_start_ms END,
                latest_end_ms = CASE WHEN excluded.latest_id > latest_id THEN excluded.latest_end_ms ELSE latest_end_ms END,
                latest_value = CASE WHEN excluded.latest_id > latest_id THEN excluded.latest_value ELSE latest_value END,
                latest_id = max(latest_id, excluded.latest_id)
            """)
        for (series, entry) in totals {
            let latest = entry.latest
            try statement.execute(arguments: [
                series.patient, series.type.rawValue, entry.count, latest.id, latest.span.start, latest.span.end, latest.value,
            ])
        }
    }

    /// Merges a span into a measure's disjoint spans: the spans it meets are absorbed.
    private func addSleep(_ span: TimeSpan, patient: String, measure: SleepMeasure, in db: Database) throws {
        var neighbours: [TimeSpan] = []
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT start_ms, end_ms FROM sleep_spans WHERE patient_id = ? AND measure = ? AND start_ms <= ? ORDER BY start_ms DESC
            """), arguments: [patient, measure.rawValue, span.end])
        // Disjoint and sorted: once a span ends before this one starts, every earlier one does.
        while let row = try cursor.next() {
            let neighbour = TimeSpan(start: row[0], end: row[1])
            guard neighbour.end >= span.start else { break }
            neighbours.append(neighbour)
        }
        let (absorbed, merged) = TimeSpan.union(span, absorbing: neighbours)
        let delete = try db.cachedStatement(sql: "DELETE FROM sleep_spans WHERE patient_id = ? AND measure = ? AND start_ms = ?")
        for old in absorbed { try delete.execute(arguments: [patient, measure.rawValue, old.start]) }
        try db.cachedStatement(sql: "INSERT INTO sleep_spans (patient_id, measure, start_ms, end_ms) VALUES (?, ?, ?, ?)")
            .execute(arguments: [patient, measure.rawValue, merged.start, merged.end])
    }

    private func recompute(_ bucket: Bucket, in db: Database) throws {
        let prefix = HealthMetricIDs.prefix(patient: bucket.patient, type: bucket.type)
        let row = try Row.fetchOne(db, sql: """
            SELECT sum(value), count(*), min(value), max(value) FROM health_metrics WHERE id >= ? AND id < ?
            """, arguments: [prefix + HealthMetricIDs.padded(bucket.start), prefix + HealthMetricIDs.padded(bucket.start + Self.bucketMilliseconds)])
        try db.execute(sql: "DELETE FROM metric_rollups WHERE patient_id = ? AND metric_type = ? AND bucket_ms = ?",
                       arguments: [bucket.patient, bucket.type.rawValue, bucket.start])
        guard let row, let count = row[1] as Int?, count > 0 else { return }
        try db.execute(sql: "INSERT INTO metric_rollups (patient_id, metric_type, bucket_ms, total, count, minimum, maximum) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [bucket.patient, bucket.type.rawValue, bucket.start, row[0] as Double, count, row[2] as Double, row[3] as Double])
    }

    private func recomputeLatest(_ series: Series, in db: Database) throws {
        let prefix = HealthMetricIDs.prefix(patient: series.patient, type: series.type)
        guard let latest = try Row.fetchOne(db, sql: """
            SELECT id, start_ms, end_ms, value FROM health_metrics WHERE id > ? AND id < ? ORDER BY id DESC LIMIT 1
            """, arguments: [prefix, prefix + "~"]) else { return }
        try db.execute(sql: """
            UPDATE metric_totals SET latest_id = ?, latest_start_ms = ?, latest_end_ms = ?, latest_value = ? WHERE patient_id = ? AND metric_type = ?
            """, arguments: [latest[0] as String, latest[1] as Int64, latest[2] as Int64, latest[3] as Double, series.patient, series.type.rawValue])
    }

    /// Rebuilds every sleep measure of a patient around `span` from the raw samples.
    private func rebuildSleep(patient: String, around span: TimeSpan, in db: Database) throws {
        for measure in SleepMeasure.allCases {
            // The spans touching the window go; the window grows to cover them whole.
            let touching = try Row.fetchAll(db, sql: """
                SELECT start_ms, end_ms FROM sleep_spans WHERE patient_id = ? AND measure = ? AND start_ms <= ? AND end_ms >= ?
                """, arguments: [patient, measure.rawValue, span.end, span.start]).map { TimeSpan(start: $0[0], end: $0[1]) }
            let window = TimeSpan.union(span, absorbing: touching).merged
            try db.execute(sql: "DELETE FROM sleep_spans WHERE patient_id = ? AND measure = ? AND start_ms <= ? AND end_ms >= ?",
                           arguments: [patient, measure.rawValue, span.end, span.start])
            for type in MetricType.allCases where SleepMeasure.measures(of: type).contains(measure) {
                let prefix = HealthMetricIDs.prefix(patient: patient, type: type)
                let rows = try Row.fetchAll(db, sql: "SELECT start_ms, end_ms FROM health_metrics WHERE id >= ? AND id < ? AND end_ms >= ?", arguments: [
                    prefix + HealthMetricIDs.padded(max(0, window.start - HealthSample.longestInterval)), prefix + HealthMetricIDs.padded(window.end) + "~",
                    window.start,
                ])
                for row in rows { try addSleep(TimeSpan(start: row[0], end: row[1]), patient: patient, measure: measure, in: db) }
            }
        }
    }
}
