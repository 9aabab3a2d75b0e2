import GRDB

extension ReplicatedStore {
    /// The changes recorded after `since`: at most `limit` feed entries, each row sent whole.
    ///
    /// A covering scan of each feed table's `db_version` index finds where the batch ends; then
    /// one joined range query per table reads the rows with their current values and stamps.
    /// Rows relayed from other replicas are included, so data flows transitively. Reads a
    /// consistent snapshot; never blocks writers.
    public func changes(since: Int64, limit: Int) async throws -> ChangeBatch {
        let limit = max(1, limit)
        return try await read { db in
            let head = try Self.feedHead(db)
            var versions: [Int64] = []
            for feed in ReplicationMigrations.feedTables {
                versions += try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT db_version FROM \(feed) WHERE db_version > ? ORDER BY db_version LIMIT ?"),
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

/// Reads whole rows of one table joined with their replication bookkeeping, for the feed and
/// the digest.
struct FeedRows {
    let db: Database
    let table: ReplicatedTable

    /// The rows whose feed position lies in `(since, next]`, in feed order.
    func rows(versionsAfter since: Int64, upTo next: Int64) throws -> [RowChange] {
        try fetch("f.db_version > ? AND f.db_version <= ? AND f.tbl = ? ORDER BY f.db_version", [since, next, table.name])
    }

    /// The current state of the given LWW rows that this replica knows (live or deleted), keyed
    /// by id; ids it has never seen are absent. Read in chunks, one query per 500 ids.
    func states(of ids: [String]) throws -> [String: LocalRowState] {
        var states: [String: LocalRowState] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try fetch("f.tbl = ? AND f.row_id IN (\(placeholders))", StatementArguments([table.name] + chunk)) {
                states[row.id] = row.tombstone.map(LocalRowState.deleted) ?? .live(values: row.values, stamps: row.stamps)
            }
        }
        return states
    }

    /// Every row of the table, tombstones included. (Append-only rows are read from the table
    /// itself: a row whose value `AppendMerge` replaced has two feed positions.)
    func all() throws -> [RowChange] {
        guard table.kind == .appendOnly else { return try fetch("f.tbl = ?", [table.name]) }
        let columns = table.columnNames.map { "\"\($0)\"" }.joined(separator: ", ")
        return try Row.fetchAll(db, sql: "SELECT id, \(columns) FROM \"\(table.name)\"").map { row in
            RowChange(id: row[0], values: (1...table.columns.count).map { SQLValue(row[$0] as DatabaseValue) })
        }
    }

    private func fetch(_ condition: String, _ arguments: StatementArguments) throws -> [RowChange] {
        let columns = table.columnNames.map { "t.\"\($0)\"" }.joined(separator: ", ")
        let count = table.columns.count
        var rows: [RowChange] = []
        switch table.kind {
        case .appendOnly:
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT f.row_id, \(columns) FROM repl_append_feed f JOIN "\(table.name)" t ON t.id = f.row_id WHERE \(condition)
                """), arguments: arguments)
            while let row = try cursor.next() {
                rows.append(RowChange(id: row[0], values: (1...count).map { SQLValue(row[$0] as DatabaseValue) }))
            }
        case .lastWriterWins:
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT f.row_id, f.stamps, f.tombstone_hlc, f.tombstone_node, \(columns)
                FROM repl_rows f LEFT JOIN "\(table.name)" t ON t.id = f.row_id WHERE \(condition)
                """), arguments: arguments)
            while let row = try cursor.next() {
                if row[2] as Int64? != nil {
                    rows.append(RowChange(id: row[0], values: [], tombstone: try TableStatements.stamp(row, hlcIndex: 2)))
                } else {
                    rows.append(RowChange(
                        id: row[0], values: (4..<4 + count).map { SQLValue(row[$0] as DatabaseValue) },
                        stamps: try StampCoding.decode(row[1], count: count)
                    ))
                }
            }
        }
        return rows
    }
}
