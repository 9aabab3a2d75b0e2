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
    /// (the rest were known already, here or from another node).
    func ingest(_ samples: [HealthSample], of patient: Patient.ID, principal: Principal, clientAddress: String?) async throws -> Int {
        let table = DomainTables.healthMetrics.name
        return try await store.write { write in
            var added = 0
            for sample in samples {
                let values: [String: SQLValue] = [
                    "patient_id": .text(sample.patientID.description), "device": .text(sample.device), "metric_type": .text(sample.type.rawValue),
                    "start_ms": .integer(sample.start), "end_ms": .integer(sample.end), "value": .real(sample.value),
                    "source": sample.source.map(SQLValue.text) ?? .null,
                ]
                if try write.append(to: table, id: HealthMetricIDs.id(of: sample), values: values) { added += 1 }
            }
            try audit.append(.init(principal, .create, "health_metrics", id: patient.description, patient: patient, clientAddress: clientAddress), in: write)
            return added
        }
    }

    /// Every type the patient has samples of, with counts and latest samples.
    func totals(of patient: Patient.ID) async throws -> [SeriesTotal] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT metric_type, count, latest_start_ms, latest_end_ms, latest_value FROM metric_totals WHERE patient_id = ? ORDER BY metric_type
                """, arguments: [patient.description]).compactMap { row in
                MetricType(rawValue: row["metric_type"]).map {
                    SeriesTotal(type: $0, count: row["count"], latestStart: row["latest_start_ms"], latestEnd: row["latest_end_ms"], latestValue: row["latest_value"])
                }
            }
        }
    }
}
