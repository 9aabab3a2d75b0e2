import GRDB
import Replication

/// Which blobs the node's records name — documents and backups — as they are written or arrive.
struct BlobReferences: Sendable {
    let store: ReplicatedStore

    /// The blobs of the documents and backups written or replicated here after feed position
    /// `version`, and the newest position among them (`version` when there are none).
    func changed(after version: Int64) async throws -> (sha256s: Set<String>, through: Int64) {
        try await store.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT repl_version, sha256 FROM medical_records WHERE repl_version > ?
                UNION ALL SELECT repl_version, sha256 FROM backups WHERE repl_version > ?
                ORDER BY repl_version
                """, arguments: [version, version])
            return (Set(rows.map { $0["sha256"] as String }), rows.last?["repl_version"] ?? version)
        }
    }
}
