import Foundation
import GRDB

/// A pushed change this replica refused, kept for status (per pusher and row: the latest reason,
/// how often, and when last).
public struct RefusedChange: Sendable, Equatable, Codable {
    public var peer: NodeID
    public var table: String
    public var rowId: String
    public var reason: String
    public var count: Int
    public var lastRefusedAt: Date
}

extension ReplicatedStore {
    /// Records a refusal in the applying transaction.
    func recordRefusal(of change: ProposedChange, by pusher: Pusher, reason: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO repl_refused_changes (peer, tbl, row_id, reason, count, last_refused_at) VALUES (?, ?, ?, ?, 1, ?)
            ON CONFLICT (peer, tbl, row_id) DO UPDATE SET
                reason = excluded.reason, count = count + 1, last_refused_at = excluded.last_refused_at
            """, arguments: [pusher.nodeID.description, change.table, change.id, reason, physicalClock.nowMilliseconds()])
    }

    /// The most recently refused pushed changes, newest first.
    public func refusedChanges(limit: Int = 100) async throws -> [RefusedChange] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT peer, tbl, row_id, reason, count, last_refused_at FROM repl_refused_changes
                ORDER BY last_refused_at DESC, peer, tbl, row_id LIMIT ?
                """, arguments: [limit]).compactMap { row in
                guard let peer = NodeID(row[0] as String) else { return nil }
                return RefusedChange(
                    peer: peer, table: row[1], rowId: row[2], reason: row[3], count: row[4],
                    lastRefusedAt: Date(timeIntervalSince1970: Double(row[5] as Int64) / 1000)
                )
            }
        }
    }
}
