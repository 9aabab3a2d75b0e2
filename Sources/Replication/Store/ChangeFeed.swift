import GRDB

extension ReplicatedStore {
    /// The changes recorded after `since`: at most `limit` feed entries, each row sent whole.
    ///
    /// One indexed range scan per feed table finds the positions; the rows are then read with
    /// their current values and stamps. Rows relayed from other replicas are included, so data
    /// flows transitively. Reads a consistent snapshot; never blocks writers.
    public func changes(since: Int64, limit: Int) async throws -> ChangeBatch {
        let limit = max(1, limit)
        return try await read { db in
            let head = try Self.feedHead(db)
            var positions: [(version: Int64, table: String, id: String)] = []
            for feed in ReplicationMigrations.feedTables {
                let rows = try Row.fetchCursor(
                    db.cachedStatement(sql: "SELECT db_version, tbl, row_id FROM \(feed) WHERE db_version > ? ORDER BY db_version LIMIT ?"),
                    arguments: [since, limit]
                )
                while let row = try rows.next() { positions.append((row[0], row[1], row[2])) }
            }
            positions.sort { $0.version < $1.version }
            positions = Array(positions.prefix(limit))
            let next = positions.last?.version ?? max(since, 0)

            var order: [String] = []
            var idsByTable: [String: [String]] = [:]
            var seen = Set<String>()
            for position in positions where seen.insert(position.table + "\u{0}" + position.id).inserted {
                if idsByTable[position.table] == nil { order.append(position.table) }
                idsByTable[position.table, default: []].append(position.id)
            }
            let tables = try order.map { name in
                let table = try self.schema.table(name)
                return TableChanges(
                    table: name, columns: table.columnNames,
                    rows: try Self.currentRows(of: idsByTable[name]!, in: table, db: db)
                )
            }
            return ChangeBatch(
                origin: self.identity.nodeID, incarnation: self.identity.incarnation,
                schemaFingerprint: self.schema.fingerprint, since: since, next: next, head: head, tables: tables
            )
        }
    }

    /// The whole current state of the given rows, in the given order.
    static func currentRows(of ids: [String], in table: ReplicatedTable, db: Database) throws -> [RowChange] {
        let statements = TableStatements(db: db, table: table)
        var rows: [RowChange] = []
        rows.reserveCapacity(ids.count)
        for id in ids {
            switch table.kind {
            case .appendOnly:
                if let values = try statements.values(of: id) { rows.append(RowChange(id: id, values: values)) }
            case .lastWriterWins:
                switch try statements.state(of: id) {
                case .absent: continue
                case .deleted(let tombstone): rows.append(RowChange(id: id, values: [], tombstone: tombstone))
                case .live(let values, let stamps):
                    rows.append(RowChange(id: id, values: values, stamps: stamps))
                }
            }
        }
        return rows
    }
}
