import Foundation
import GRDB

/// What applying one batch did.
public struct ApplyResult: Sendable, Equatable, Codable {
    /// Rows whose local state changed.
    public var applied: Int
    /// Rows that changed nothing (already known, older, or deleted here).
    public var unchanged: Int
    /// Rows the pusher was not allowed to change (recorded in `refusedChanges`).
    public var refused: Int
    /// The checkpoint now stored for the batch's origin.
    public var checkpoint: Int64
}

/// How far one peer's feed has been applied here.
public struct PeerCheckpoint: Sendable, Equatable, Codable {
    public var peer: NodeID
    public var incarnation: UUID
    public var dbVersion: Int64
}

extension ReplicatedStore {
    /// Merges a batch from another replica in one transaction, together with the new checkpoint of
    /// its origin: a broken transfer resumes exactly after the last applied batch.
    ///
    /// Idempotent and commutative: applying a batch twice, or batches in any order, leaves the same
    /// state. Only changes that alter local state get a local `db_version`, so relayed changes
    /// travel on and echoes stop.
    ///
    /// - Parameter authorization: for a pushed batch, who pushed it and what they may change; a
    ///   row that would change local state against the authorizer's rules is skipped and recorded
    ///   as refused (the checkpoint still advances: the refusal is the outcome for that row). A
    ///   merge that only moves stamps (the same values, written elsewhere too) is not asked about.
    @discardableResult
    public func apply(_ batch: ChangeBatch, authorization: (pusher: Pusher, authorizer: any PushAuthorizer)? = nil) async throws -> ApplyResult {
        guard batch.schemaFingerprint == schema.fingerprint else {
            throw ReplicationError.schemaMismatch(expected: schema.fingerprint, received: batch.schemaFingerprint)
        }
        guard batch.origin != identity.nodeID else {
            throw ReplicationError.invalidConfiguration("a replica cannot apply its own feed (peer is this node)")
        }
        for changes in batch.tables {
            let table = try schema.table(changes.table)
            guard changes.columns == table.columnNames else {
                throw ReplicationError.schemaMismatch(expected: table.columnNames.joined(separator: ","), received: changes.columns.joined(separator: ","))
            }
            for row in changes.rows where row.tombstone == nil {
                let stamped = table.kind == .lastWriterWins
                guard row.values.count == table.columns.count, row.stamps.count == (stamped ? row.values.count : 0) else {
                    throw ReplicationError.malformedBatch("row \(row.id) of \(table.name) has the wrong number of fields")
                }
            }
        }
        return try await transaction { db in
            var result = ApplyResult(applied: 0, unchanged: 0, refused: 0, checkpoint: 0)
            // The clock receives the newest stamp of the rows taken (a refused row moves nothing).
            var newest = HLCTimestamp.zero
            for changes in batch.tables {
                let table = try self.schema.table(changes.table)
                let statements = TableStatements(db: db, table: table)
                let governed = authorization.flatMap { $0.authorizer.governedTables.contains(table.name) ? $0 : nil }
                // One read for the local state of every LWW row of the batch, not one per row.
                let known = table.kind == .lastWriterWins ? try FeedRows(db: db, table: table).states(of: changes.rows.map(\.id)) : [:]
                for row in changes.rows {
                    switch try self.merge(row, local: known[row.id] ?? .absent, using: statements, authorization: governed) {
                    case .changed: result.applied += 1
                    case .unchanged: result.unchanged += 1
                    case .refused:
                        result.refused += 1
                        continue
                    }
                    for stamp in row.stamps where stamp.hlc > newest { newest = stamp.hlc }
                    if let tombstone = row.tombstone, tombstone.hlc > newest { newest = tombstone.hlc }
                }
            }
            if newest > .zero { self.receive(newest) }
            result.checkpoint = try self.advanceCheckpoint(of: batch, in: db)
            return result
        }
    }

    private enum MergeOutcome {
        case changed, unchanged, refused
    }

    /// Merges one row (`local` is its state here, for LWW tables), unless the pusher may not make
    /// the change it would bring.
    private func merge(
        _ row: RowChange, local: LocalRowState, using statements: TableStatements,
        authorization: (pusher: Pusher, authorizer: any PushAuthorizer)?
    ) throws -> MergeOutcome {
        let table = statements.table
        // Asks the authorizer (if any) about a change that would alter local state — the row as it is
        // here and as it would be after the merge (`nil`: deleted) — and records a refusal.
        func refused(current: [SQLValue]?, after merged: [SQLValue]?) throws -> Bool {
            guard let (pusher, authorizer) = authorization else { return false }
            let change = ProposedChange(table: table.name, id: row.id, current: current.map(table.named), incoming: merged.map(table.named))
            guard let reason = try authorizer.refusal(of: change, by: pusher, in: statements.db) else { return false }
            try recordRefusal(of: change, by: pusher, reason: reason, in: statements.db)
            return true
        }
        if table.kind == .appendOnly {
            let current = authorization == nil ? nil : try statements.values(of: row.id)
            if let current, !AppendMerge.incomingWins(local: current, incoming: row.values) { return .unchanged }
            if try refused(current: current, after: row.values) { return .refused }
            var replaced: [SQLValue]?
            if try !statements.insertIfAbsent(id: row.id, values: row.values) {
                guard let local = try statements.values(of: row.id),
                      AppendMerge.incomingWins(local: local, incoming: row.values) else { return .unchanged }
                try statements.replaceValues(id: row.id, values: row.values)
                replaced = local
            }
            try statements.recordAppend(id: row.id, version: nextDBVersion(for: table.name))
            noteAppended(AppendedRow(id: row.id, values: row.values, replaced: replaced), to: table.name)
            return .changed
        }
        let current: [SQLValue]? = if case .live(let values, _) = local { values } else { nil }
        switch RowMerge.decide(local: local, incoming: row, table: table) {
        case .keep:
            return .unchanged
        case .delete(let tombstone):
            if try refused(current: current, after: nil) { return .refused }
            try statements.delete(id: row.id, tombstone: tombstone, version: nextDBVersion(for: table.name))
        case .insert:
            if try refused(current: nil, after: row.values) { return .refused }
            try statements.insert(
                id: row.id, columns: Array(row.values.indices), values: row.values, stamps: row.stamps, version: nextDBVersion(for: table.name)
            )
        case .update(let columns, let localStamps):
            // Only a change of content is asked about: the same values stamped elsewhere change no hands.
            if let current, columns.contains(where: { current[$0] != row.values[$0] }) {
                var merged = current
                for column in columns { merged[column] = row.values[column] }
                if try refused(current: current, after: merged) { return .refused }
            }
            var stamps = localStamps
            for column in columns { stamps[column] = row.stamps[column] }
            try statements.update(id: row.id, columns: columns, values: row.values, stamps: stamps, version: nextDBVersion(for: table.name))
        }
        return .changed
    }

    /// Stores the batch's `next` for its origin; never moves a checkpoint of the same incarnation back.
    /// A batch of a new incarnation that does not start at 0 resets the checkpoint to 0: the
    /// origin's feed restarted, so everything before the batch must be fetched again.
    private func advanceCheckpoint(of batch: ChangeBatch, in db: Database) throws -> Int64 {
        let incarnation = batch.incarnation.uuidString.lowercased()
        try db.execute(sql: """
            INSERT INTO repl_peer_checkpoint (peer, incarnation, db_version, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (peer) DO UPDATE SET
                db_version = CASE
                    WHEN incarnation = excluded.incarnation THEN max(db_version, excluded.db_version)
                    WHEN ? = 0 THEN excluded.db_version
                    ELSE 0 END,
                incarnation = excluded.incarnation,
                updated_at = excluded.updated_at
            """, arguments: [batch.origin.description, incarnation, batch.next, Int64(physicalClock.nowMilliseconds()), batch.since])
        return try Int64.fetchOne(
            db, sql: "SELECT db_version FROM repl_peer_checkpoint WHERE peer = ?", arguments: [batch.origin.description]
        ) ?? batch.next
    }

    /// The stored checkpoint of a peer's feed, if any.
    public func checkpoint(of peer: NodeID) async throws -> PeerCheckpoint? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT incarnation, db_version FROM repl_peer_checkpoint WHERE peer = ?",
                arguments: [peer.description]
            ).flatMap { row in
                UUID(uuidString: row[0]).map { PeerCheckpoint(peer: peer, incarnation: $0, dbVersion: row[1]) }
            }
        }
    }

    /// Every stored checkpoint.
    public func checkpoints() async throws -> [PeerCheckpoint] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT peer, incarnation, db_version FROM repl_peer_checkpoint ORDER BY peer").compactMap { row in
                guard let peer = NodeID(row[0] as String), let incarnation = UUID(uuidString: row[1]) else { return nil }
                return PeerCheckpoint(peer: peer, incarnation: incarnation, dbVersion: row[2])
            }
        }
    }
}
