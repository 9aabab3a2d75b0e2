import GRDB

/// The replicated set of revoked node certificates (`node_revocations`, one row per revoked node,
/// keyed by its node id). Every row carries the CA's signature and is checked on use, so a
/// revocation holds wherever it was relayed from, and no node can forge one.
public enum NodeRevocations {
    public static let table = ReplicatedTable.lastWriterWins("node_revocations", columns: [.init("revoked_at"), .init("signature")])

    public static func registerMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trust-v1-node-revocations") { db in
            try db.execute(sql: """
                CREATE TABLE node_revocations (
                    id TEXT PRIMARY KEY NOT NULL,
                    revoked_at INTEGER NOT NULL,
                    signature TEXT NOT NULL
                )
                """)
            try table.addBookkeeping(in: db)
        }
    }

    /// Records a revocation the deployment CA signed; returns whether it was new here.
    @discardableResult
    public static func record(_ revocation: NodeRevocation, caPEM: String, in store: ReplicatedStore) async throws -> Bool {
        guard revocation.isSigned(by: caPEM) else {
            throw ReplicationError.invalidConfiguration("the revocation is not signed by this deployment's CA")
        }
        return try await store.write { write in
            let known = try write.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM node_revocations WHERE id = ?", arguments: [revocation.nodeId.description]) ?? false
            }
            guard !known else { return false }
            try write.insert(into: table.name, id: revocation.nodeId.description, values: [
                "revoked_at": .integer(revocation.revokedAt), "signature": .text(revocation.signature),
            ])
            return true
        }
    }

    /// Whether `node` is revoked by a revocation the deployment CA signed.
    public static func isRevoked(_ node: NodeID, caPEM: String, in store: ReplicatedStore) async throws -> Bool {
        let revocation = try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT revoked_at, signature FROM node_revocations WHERE id = ?", arguments: [node.description])
                .map { NodeRevocation(nodeId: node, revokedAt: $0[0], signature: $0[1]) }
        }
        return revocation?.isSigned(by: caPEM) ?? false
    }
}
