import Domain
import Foundation
import GRDB
import Replication

/// Health samples in the replicated, append-only `health_metrics` set, and reads of their
/// rollups (`HealthMetricRollups`), which never scan raw samples.
struct HealthMetricRepository: Sendable {
    let store: ReplicatedStore
    let audit: AuditTrail

    /// Per patient and type: how many samples, and the latest.
    struct SeriesTotal: Sendable, Equatable {
        let type: MetricType
        let count: Int
        let latestStart: Int64
        let latestEnd: Int64
        let latestValue: Double
    }

    /// Stores a patient's samples in one transaction, audited once; returns how many were new
    /// (the rest were known already, here or from another node). No samples, no transaction.
    func ingest(_ samples: [HealthSample], of patient: Patient.ID, principal: Principal, clientAddress: String?) async throws -> Int {
        guard !samples.isEmpty else { return 0 }
        let rows = samples.map { (id: HealthMetricIDs.id(of: $0), values: Self.values(of: $0)) }
        return try await store.write { write in
            let added = try write.append(to: DomainTables.healthMetrics.name, rows: rows)
            try audit.append(.init(principal, .create, "health_metrics", id: patient.description, patient: patient, clientAddress: clientAddress), in: write)
            return added
        }
    }

}

extension HealthMetricRepository {
    /// A stored sample as the reads list it.
    struct StoredSample: Sendable, Equatable {
        let type: MetricType
        let device: String
        let start: Int64
        let end: Int64
        let value: Double
        let source: String?
    }

    /// What the summary reads need of one patient, read in one snapshot: the rollups of `types`
    /// and the sleep spans within `span`, and the per-type totals.
    struct Snapshot: Sendable {
        let rollups: [MetricType: [MetricRollup]]
        let sleep: [SleepMeasure: [TimeSpan]]
        let totals: [SeriesTotal]
    }

    /// The longest sleep span looked back for (a span starting earlier than this before a window is
    /// not found by it; one night's spans are far shorter).
    static let sleepLookBack: Int64 = 2 * 86_400_000

    func snapshot(of patient: Patient.ID, types: [MetricType], within span: TimeSpan) async throws -> Snapshot {
        try await store.read { db in
            var rollups: [MetricType: [MetricRollup]] = [:]
            let statement = try db.cachedStatement(sql: """
                SELECT bucket_ms, total, count, minimum, maximum FROM metric_rollups
                WHERE patient_id = ? AND metric_type = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms
                """)
            for type in types where type.aggregation != .interval {
                rollups[type] = try Row.fetchAll(statement, arguments: [patient.description, type.rawValue, span.start, span.end]).map {
                    MetricRollup(start: $0[0], total: $0[1], count: $0[2], minimum: $0[3], maximum: $0[4])
                }
            }
            var sleep: [SleepMeasure: [TimeSpan]] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT measure, start_ms, end_ms FROM sleep_spans WHERE patient_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms > ? ORDER BY measure, start_ms
                """), arguments: [patient.description, span.start - Self.sleepLookBack, span.end, span.start]) {
                guard let measure = SleepMeasure(rawValue: row[0]) else { continue }
                sleep[measure, default: []].append(TimeSpan(start: row[1], end: row[2]))
            }
            return Snapshot(rollups: rollups, sleep: sleep, totals: try Self.totals(of: patient, in: db))
        }
    }

    /// A patient's samples of `types` starting within `span`, newest first, at most `limit`.
    func samples(of patient: Patient.ID, types: [MetricType], within span: TimeSpan, limit: Int) async throws -> [StoredSample] {
        try await store.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT metric_type, device, start_ms, end_ms, value, source FROM health_metrics WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT ?
                """)
            var samples: [StoredSample] = []
            for type in types {
                let prefix = HealthMetricIDs.prefix(patient: patient.description, type: type)
                samples += try Row.fetchAll(statement, arguments: [prefix + HealthMetricIDs.padded(span.start), prefix + HealthMetricIDs.padded(span.end), limit]).map {
                    StoredSample(type: type, device: $0[1], start: $0[2], end: $0[3], value: $0[4], source: $0[5])
                }
            }
            return Array(samples.sorted { ($0.start, $0.type.rawValue) > ($1.start, $1.type.rawValue) }.prefix(limit))
        }
    }

    /// A sample's values in `health_metrics` column order.
    static func values(of sample: HealthSample) -> [SQLValue] {
        [
            .text(sample.patientID.description), .text(sample.device), .text(sample.type.rawValue), .integer(sample.start), .integer(sample.end),
            .real(sample.value), sample.source.map(SQLValue.text) ?? .null,
        ]
    }

    /// Every type the patient has samples of, with counts and latest samples.
    func totals(of patient: Patient.ID) async throws -> [SeriesTotal] {
        try await store.read { db in try Self.totals(of: patient, in: db) }
    }

    private static func totals(of patient: Patient.ID, in db: Database) throws -> [SeriesTotal] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT metric_type, count, latest_start_ms, latest_end_ms, latest_value FROM metric_totals WHERE patient_id = ? ORDER BY metric_type
            """), arguments: [patient.description]).compactMap { row in
            MetricType(rawValue: row[0]).map {
                SeriesTotal(type: $0, count: row[1], latestStart: row[2], latestEnd: row[3], latestValue: row[4])
            }
        }
    }
}
