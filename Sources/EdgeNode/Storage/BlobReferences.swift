import GRDB
import Replication

/// Which blobs the node's records name — documents and backups — as they are written or arrive.
struct BlobReferences: Sendable {
    let store: ReplicatedStore

    /// A blob named by a record written or replicated here at feed position `version`.
    struct Naming: Equatable, Sendable {
        let version: Int64
        let sha256: String
    }

    /// The blobs named by the documents and backups written or replicated here after feed
    /// position `version`, in feed order.
    func changed(after version: Int64) async throws -> [Naming] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT repl_version, sha256 FROM medical_records WHERE repl_version > ?
                UNION ALL SELECT repl_version, sha256 FROM backups WHERE repl_version > ?
                ORDER BY repl_version
                """, arguments: [version, version]).map { Naming(version: $0["repl_version"], sha256: $0["sha256"]) }
        }
    }

    /// Whether a record here names the blob.
    func names(_ sha256: String) async throws -> Bool {
        try await store.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM medical_records WHERE sha256 = ?) OR EXISTS (SELECT 1 FROM backups WHERE sha256 = ?)
                """, arguments: [sha256, sha256]) ?? false
        }
    }

    /// Every blob a record here names.
    func all() async throws -> Set<String> {
        try await store.read { db in
            Set(try String.fetchAll(db, sql: "SELECT sha256 FROM medical_records UNION SELECT sha256 FROM backups"))
        }
    }
}
