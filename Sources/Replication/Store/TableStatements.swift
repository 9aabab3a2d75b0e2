import GRDB

/// The SQL the store runs against replicated tables and its own feed tables, in one place.
/// Statements are cached per connection; identifiers come from the declared schema only.
struct TableStatements {
    let db: Database
    let table: ReplicatedTable

    private var quotedTable: String { "\"\(table.name)\"" }
    private var quotedColumns: [String] { table.columnNames.map { "\"\($0)\"" } }

    /// The row's values (aligned with the columns), or `nil` when it does not exist.
    func values(of id: String) throws -> [SQLValue]? {
        let sql = "SELECT \(quotedColumns.joined(separator: ", ")) FROM \(quotedTable) WHERE id = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) else { return nil }
        return (0..<table.columns.count).map { SQLValue(row[$0] as DatabaseValue) }
    }

    /// The local state of a last-writer-wins row: values with their stamps, tombstone, or absent.
    func state(of id: String) throws -> LocalRowState {
        if let tombstone = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT hlc, node FROM repl_tombstone WHERE tbl = ? AND row_id = ?"),
            arguments: [table.name, id]
        ) {
            return .deleted(try Self.stamp(tombstone))
        }
        guard let values = try values(of: id) else { return .absent }
        var byColumn: [String: FieldStamp] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT col, hlc, node FROM repl_field_clock WHERE tbl = ? AND row_id = ?"),
            arguments: [table.name, id]
        )
        while let row = try rows.next() {
            byColumn[row[0]] = try Self.stamp(row, hlcIndex: 1)
        }
        return .live(values: values, stamps: table.columnNames.map { byColumn[$0] ?? .initial })
    }

    /// Inserts a row with the given column positions set; the others take the table's defaults.
    func insert(id: String, columns: [Int], values: [SQLValue]) throws {
        let names = columns.map { quotedColumns[$0] }
        let placeholders = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
        let sql = "INSERT INTO \(quotedTable) (\((["id"] + names).joined(separator: ", "))) VALUES (\(placeholders))"
        try db.cachedStatement(sql: sql).execute(arguments: arguments(id, columns.map { values[$0] }))
    }

    /// Inserts an append-only row unless its id already exists; returns whether the row was new.
    /// Every other constraint violation (another unique key, NOT NULL, CHECK) fails loudly.
    func insertIfAbsent(id: String, values: [SQLValue]) throws -> Bool {
        let placeholders = Array(repeating: "?", count: values.count + 1).joined(separator: ", ")
        let sql = "INSERT INTO \(quotedTable) (id, \(quotedColumns.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (id) DO NOTHING"
        try db.cachedStatement(sql: sql).execute(arguments: arguments(id, values))
        return db.changesCount > 0
    }

    func update(id: String, columns: [Int], values: [SQLValue]) throws {
        let assignments = columns.map { "\(quotedColumns[$0]) = ?" }.joined(separator: ", ")
        let sql = "UPDATE \(quotedTable) SET \(assignments) WHERE id = ?"
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(columns.map { values[$0].databaseValue } + [id.databaseValue]))
    }

    func setStamp(id: String, column: Int, stamp: FieldStamp, version: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO repl_field_clock (tbl, row_id, col, hlc, node, db_version) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tbl, row_id, col) DO UPDATE SET hlc = excluded.hlc, node = excluded.node, db_version = excluded.db_version
            """).execute(arguments: [
                table.name, id, table.columns[column].name,
                Int64(bitPattern: stamp.hlc.rawValue), stamp.node.description, version,
            ])
    }

    /// Removes the row and its field stamps and records the tombstone in their place.
    func delete(id: String, tombstone: FieldStamp, version: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM \(quotedTable) WHERE id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM repl_field_clock WHERE tbl = ? AND row_id = ?")
            .execute(arguments: [table.name, id])
        try db.cachedStatement(sql: """
            INSERT INTO repl_tombstone (tbl, row_id, hlc, node, db_version) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tbl, row_id) DO UPDATE SET hlc = excluded.hlc, node = excluded.node, db_version = excluded.db_version
            """).execute(arguments: [
                table.name, id, Int64(bitPattern: tombstone.hlc.rawValue), tombstone.node.description, version,
            ])
    }

    func recordAppend(id: String, version: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO repl_append_feed (db_version, tbl, row_id) VALUES (?, ?, ?)")
            .execute(arguments: [version, table.name, id])
    }

    private func arguments(_ id: String, _ values: [SQLValue]) -> StatementArguments {
        var all: [DatabaseValue] = [id.databaseValue]
        all.reserveCapacity(values.count + 1)
        for value in values { all.append(value.databaseValue) }
        return StatementArguments(all)
    }

    /// Reads a stamp from `hlc, node` columns starting at `hlcIndex`.
    static func stamp(_ row: Row, hlcIndex: Int = 0) throws -> FieldStamp {
        let raw: Int64 = row[hlcIndex]
        let nodeText: String = row[hlcIndex + 1]
        guard let node = NodeID(nodeText) else { throw ReplicationError.malformedBatch("stored node id \(nodeText)") }
        return FieldStamp(hlc: HLCTimestamp(rawValue: UInt64(bitPattern: raw)), node: node)
    }
}
