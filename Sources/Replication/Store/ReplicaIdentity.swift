import Foundation
import GRDB

/// Who a replica is: its node id (stable for the life of the database) and its incarnation
/// (new for every fresh or restored database, so peers know to reset their checkpoints).
public struct ReplicaIdentity: Sendable, Equatable {
    public let nodeID: NodeID
    public let incarnation: UUID

    public init(nodeID: NodeID, incarnation: UUID) {
        self.nodeID = nodeID
        self.incarnation = incarnation
    }

    /// Loads the identity stored in the database, creating it on first open. A database never
    /// changes node: opening it as another node is refused.
    static func loadOrCreate(in db: Database, proposedNodeID: NodeID?) throws -> ReplicaIdentity {
        func meta(_ key: String) throws -> String? {
            try String.fetchOne(db, sql: "SELECT value FROM repl_meta WHERE key = ?", arguments: [key])
        }
        if let node = try meta("node_id").flatMap(NodeID.init), let incarnation = try meta("incarnation").flatMap(UUID.init) {
            if let proposedNodeID, proposedNodeID != node {
                throw ReplicationError.invalidConfiguration(
                    "this database belongs to node \(node), not \(proposedNodeID): use that node's data directory"
                )
            }
            return ReplicaIdentity(nodeID: node, incarnation: incarnation)
        }
        let identity = ReplicaIdentity(nodeID: proposedNodeID ?? NodeID(UUID()), incarnation: UUID())
        try db.execute(
            sql: "INSERT INTO repl_meta (key, value) VALUES ('node_id', ?), ('incarnation', ?)",
            arguments: [identity.nodeID.description, identity.incarnation.uuidString.lowercased()]
        )
        return identity
    }
}
