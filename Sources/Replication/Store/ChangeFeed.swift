import Foundation
import GRDB

extension ReplicatedStore {
    /// The changes recorded after `since`: at most `limit` feed entries, each row sent whole.
    ///
    /// A covering scan of each feed position index finds where the batch ends; then one range
    /// query per table (and one for its tombstones) reads the rows with their current values and
    /// stamps. Rows relayed from other replicas are included, so data flows transitively. Reads a
    /// consistent snapshot; never blocks writers.
    public func changes(since: Int64, limit: Int) async throws -> ChangeBatch {
        let limit = max(1, limit)
        return try await read { db in
            let head = try Self.feedHead(db, schema: self.schema)
            var versions: [Int64] = []
            for feed in FeedPositions.all(in: self.schema) {
                versions += try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT \(feed.column) FROM \(feed.table) WHERE \(feed.column) > ? ORDER BY \(feed.column) LIMIT ?"),
                    arguments: [since, limit]
                )
            }
            versions.sort()
            let next = versions.count > limit ? versions[limit - 1] : versions.last ?? max(since, 0)
            var tables: [TableChanges] = []
            if next > since {
                for table in self.schema.tables {
                    let rows = try FeedRows(db: db, table: table).rows(versionsAfter: since, upTo: next)
                    if !rows.isEmpty { tables.append(TableChanges(table: table.name, columns: table.columnNames, rows: rows)) }
                }
            }
            return ChangeBatch(
                origin: self.identity.nodeID, incarnation: self.identity.incarnation,
                schemaFingerprint: self.schema.fingerprint, since: since, next: next, head: head, tables: tables
            )
        }
    }
}

/// Where feed positions are recorded: the `repl_version` column of every LWW table, the
/// tombstones, and the append-only feed. Each is unique-indexed.
struct FeedPositions {
    let table: String
    let column: String

    static func all(in schema: ReplicationSchema) -> [FeedPositions] {
        schema.tables.filter { $0.kind == .lastWriterWins }.map { FeedPositions(table: "\"\($0.name)\"", column: "repl_version") }
            + [FeedPositions(table: "repl_tombstones", column: "db_version"), FeedPositions(table: "repl_append_feed", column: "db_version")]
    }
}

/// Reads whole rows of one table with their replication bookkeeping, for the feed, the merge and
/// the digest.
struct FeedRows {
    let db: Database
    let table: ReplicatedTable

    private var columnList: String { table.columnNames.map { "t.\"\($0)\"" }.joined(separator: ", ") }

    /// The rows whose feed position lies in `(since, next]`.
    func rows(versionsAfter since: Int64, upTo next: Int64) throws -> [RowChange] {
        switch table.kind {
        case .appendOnly:
            return try appendRows("""
                SELECT f.row_id, \(columnList) FROM repl_append_feed f JOIN "\(table.name)" t ON t.id = f.row_id
                WHERE f.db_version > ? AND f.db_version <= ? AND f.tbl = ? ORDER BY f.db_version
                """, [since, next, table.name])
        case .lastWriterWins:
            return try liveRows("t.repl_version > ? AND t.repl_version <= ? ORDER BY t.repl_version", [since, next])
                + tombstones("db_version > ? AND db_version <= ?", [since, next])
        }
    }

    /// The current state of the given LWW rows that this replica knows (live or deleted), keyed
    /// by id; ids it has never seen are absent. Read in chunks of 500 ids.
    func states(of ids: [String]) throws -> [String: LocalRowState] {
        var states: [String: LocalRowState] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try liveRows("t.id IN (\(placeholders))", StatementArguments(chunk)) {
                states[row.id] = .live(values: row.values, stamps: row.stamps)
            }
            for row in try tombstones("row_id IN (\(placeholders))", StatementArguments(chunk)) {
                states[row.id] = row.tombstone.map(LocalRowState.deleted)
            }
        }
        return states
    }

    /// Every row of the table, tombstones included.
    func all() throws -> [RowChange] {
        switch table.kind {
        case .appendOnly: try appendRows("SELECT t.id, \(columnList) FROM \"\(table.name)\" t", [])
        case .lastWriterWins: try liveRows("1", []) + tombstones("1", [])
        }
    }

    private func appendRows(_ sql: String, _ arguments: StatementArguments) throws -> [RowChange] {
        let count = table.columns.count
        var rows: [RowChange] = []
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try cursor.next() {
            rows.append(RowChange(id: row[0], values: (1...count).map { SQLValue(row[$0] as DatabaseValue) }))
        }
        return rows
    }

    private func liveRows(_ condition: String, _ arguments: StatementArguments) throws -> [RowChange] {
        let count = table.columns.count
        var rows: [RowChange] = []
        let cursor = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT t.id, t.repl_stamps, \(columnList) FROM \"\(table.name)\" t WHERE \(condition)"),
            arguments: arguments
        )
        while let row = try cursor.next() {
            rows.append(RowChange(
                id: row[0], values: (2..<2 + count).map { SQLValue(row[$0] as DatabaseValue) },
                stamps: try StampCoding.decode(row[1] ?? Data(), count: count)
            ))
        }
        return rows
    }

    private func tombstones(_ condition: String, _ arguments: StatementArguments) throws -> [RowChange] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT row_id, hlc, node FROM repl_tombstones WHERE tbl = ? AND \(condition)"),
            arguments: [table.name] + arguments
        ).map { RowChange(id: $0[0], values: [], tombstone: try TableStatements.stamp($0, hlcIndex: 1)) }
    }
}
