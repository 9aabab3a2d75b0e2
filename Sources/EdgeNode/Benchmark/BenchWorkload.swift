import Foundation
import GRDB
import Replication

/// The rows a benchmark replicates: metric-like append-only samples, or 5-field LWW records.
enum BenchWorkload: Sendable {
    case appendOnly(rows: Int)
    case lastWriterWins(rows: Int)

    var name: String {
        switch self {
        case .appendOnly: "append-only rows"
        case .lastWriterWins: "LWW rows (5 fields)"
        }
    }

    var rowCount: Int {
        switch self {
        case .appendOnly(let rows), .lastWriterWins(let rows): rows
        }
    }

    var table: ReplicatedTable {
        switch self {
        case .appendOnly:
            .appendOnly("bench_metrics", columns: ["patient_id", "device_id", "metric_type", "value", "unit", "timestamp"])
        case .lastWriterWins:
            .lastWriterWins("bench_records", columns: ["name", "phone", "city", "score", "status"].map { .init($0) })
        }
    }

    /// The table as the domain would create it: the metrics' natural-key unique index and the
    /// time-series index, or a plain entity table.
    func createTable(_ db: Database) throws {
        switch self {
        case .appendOnly:
            try db.execute(sql: """
                CREATE TABLE bench_metrics (
                    id TEXT PRIMARY KEY NOT NULL, patient_id TEXT NOT NULL, device_id TEXT NOT NULL,
                    metric_type TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, timestamp TEXT NOT NULL,
                    UNIQUE (patient_id, device_id, metric_type, timestamp));
                CREATE INDEX bench_metrics_patient_time ON bench_metrics (patient_id, timestamp);
                """)
        case .lastWriterWins:
            try db.execute(sql: """
                CREATE TABLE bench_records (
                    id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, phone TEXT NOT NULL, city TEXT NOT NULL,
                    score INTEGER NOT NULL, status TEXT NOT NULL);
                """)
        }
    }

    /// Deterministic rows: ids derive from the natural key, as the domain mints them.
    func rows() -> [(id: String, values: [SQLValue])] {
        let namespace = UUID(uuidString: "5b0b8a52-7c1e-4d0e-9a57-2f1f9d6e4c01")!
        let start = Date(timeIntervalSince1970: 1_763_000_000)
        return (0..<rowCount).map { index in
            switch self {
            case .appendOnly:
                let patient = "patient-\(index % 50)", device = "watch-\(index % 3)", type = ["heart_rate", "steps", "calories"][index % 3]
                let timestamp = Timestamps.storage(start.addingTimeInterval(Double(index)))
                let id = RowIDs.nameBased(namespace: namespace, name: "\(patient)|\(device)|\(type)|\(timestamp)").uuidString.lowercased()
                return (id, [.text(patient), .text(device), .text(type), .real(60 + Double(index % 90)), .text("bpm"), .text(timestamp)])
            case .lastWriterWins:
                let id = RowIDs.nameBased(namespace: namespace, name: "record-\(index)").uuidString.lowercased()
                return (id, [.text("Name \(index)"), .text("+9190000\(index)"), .text("City \(index % 40)"), .integer(Int64(index)), .text("ACTIVE")])
            }
        }
    }
}
