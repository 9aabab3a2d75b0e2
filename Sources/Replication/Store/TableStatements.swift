import Foundation
import GRDB

/// The SQL the store runs against replicated tables and its own feed tables, in one place.
/// One instance per table per transaction: the hot statements are prepared (or taken from the
/// connection's cache) once and reused for every row. Identifiers come from the declared schema.
final class TableStatements {
    let db: Database
    let table: ReplicatedTable
    private let quotedTable: String
    private let quotedColumns: [String]
    private let selectSQL: String
    private let insertAllSQL: String
    private lazy var insertAllStatement = Result { try self.db.cachedStatement(sql: self.insertAllSQL) }
    private lazy var insertNewStampsStatement = Result {
        try self.db.cachedStatement(sql: "INSERT INTO repl_rows (tbl, row_id, db_version, stamps) VALUES (?, ?, ?, ?)")
    }

    init(db: Database, table: ReplicatedTable) {
        self.db = db
        self.table = table
        quotedTable = "\"\(table.name)\""
        quotedColumns = table.columnNames.map { "\"\($0)\"" }
        selectSQL = "SELECT \(quotedColumns.joined(separator: ", ")) FROM \(quotedTable) WHERE id = ?"
        let placeholders = Array(repeating: "?", count: quotedColumns.count + 1).joined(separator: ", ")
        insertAllSQL = "INSERT INTO \(quotedTable) (id, \(quotedColumns.joined(separator: ", "))) VALUES (\(placeholders))"
    }

    /// The row's values (aligned with the columns), or `nil` when it does not exist.
    func values(of id: String) throws -> [SQLValue]? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: selectSQL), arguments: [id]) else { return nil }
        return (0..<table.columns.count).map { SQLValue(row[$0] as DatabaseValue) }
    }

    /// The local state of a last-writer-wins row: values with their stamps, tombstone, or absent.
    func state(of id: String) throws -> LocalRowState {
        guard let clock = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT stamps, tombstone_hlc, tombstone_node FROM repl_rows WHERE tbl = ? AND row_id = ?"),
            arguments: [table.name, id]
        ) else { return .absent }
        if clock[1] as Int64? != nil {
            return .deleted(try Self.stamp(clock, hlcIndex: 1))
        }
        guard let values = try values(of: id) else { return .absent }
        return .live(values: values, stamps: try StampCoding.decode(clock[0], count: table.columns.count))
    }

    /// Inserts a row with every column given.
    func insertAll(id: String, values: [SQLValue]) throws {
        try insertAllStatement.get().execute(leading: .text(id), values: values)
    }

    /// Inserts a row with the given column positions set; the others take the table's defaults.
    func insert(id: String, columns: [Int], values: [SQLValue]) throws {
        if columns.count == quotedColumns.count { return try insertAll(id: id, values: values) }
        let names = columns.map { quotedColumns[$0] }
        let placeholders = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
        let sql = "INSERT INTO \(quotedTable) (\((["id"] + names).joined(separator: ", "))) VALUES (\(placeholders))"
        try db.cachedStatement(sql: sql).execute(leading: .text(id), values: columns.map { values[$0] })
    }

    /// Inserts an append-only row unless its id already exists; returns whether the row was new.
    /// Every other constraint violation (another unique key, NOT NULL, CHECK) fails loudly.
    func insertIfAbsent(id: String, values: [SQLValue]) throws -> Bool {
        try db.cachedStatement(sql: insertAllSQL + " ON CONFLICT (id) DO NOTHING").execute(leading: .text(id), values: values)
        return db.changesCount > 0
    }

    func update(id: String, columns: [Int], values: [SQLValue]) throws {
        let assignments = columns.map { "\(quotedColumns[$0]) = ?" }.joined(separator: ", ")
        let sql = "UPDATE \(quotedTable) SET \(assignments) WHERE id = ?"
        try db.cachedStatement(sql: sql).execute(values: columns.map { values[$0] } + [.text(id)])
    }

    /// Records the row's field stamps and its new feed position (`isNew`: the row had no record).
    func setStamps(id: String, _ stamps: [FieldStamp], version: Int64, isNew: Bool = false) throws {
        let statement = isNew ? try insertNewStampsStatement.get() : try db.cachedStatement(sql: """
            INSERT INTO repl_rows (tbl, row_id, db_version, stamps) VALUES (?, ?, ?, ?)
            ON CONFLICT (tbl, row_id) DO UPDATE SET db_version = excluded.db_version, stamps = excluded.stamps
            """)
        try StampCoding.withEncoding(of: stamps) { bytes in
            try statement.execute(values: [.text(table.name), .text(id), .integer(version)], blob: bytes)
        }
    }

    /// Removes the row and records its tombstone in place of its stamps.
    func delete(id: String, tombstone: FieldStamp, version: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM \(quotedTable) WHERE id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: """
            INSERT INTO repl_rows (tbl, row_id, db_version, stamps, tombstone_hlc, tombstone_node) VALUES (?, ?, ?, x'', ?, ?)
            ON CONFLICT (tbl, row_id) DO UPDATE SET db_version = excluded.db_version, stamps = x'',
                tombstone_hlc = excluded.tombstone_hlc, tombstone_node = excluded.tombstone_node
            """).execute(arguments: [
                table.name, id, version, Int64(bitPattern: tombstone.hlc.rawValue), tombstone.node.description,
            ])
    }

    func recordAppend(id: String, version: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO repl_append_feed (db_version, tbl, row_id) VALUES (?, ?, ?)")
            .execute(values: [.integer(version), .text(table.name), .text(id)])
    }

    /// Reads a stamp from `hlc, node` columns starting at `hlcIndex`.
    static func stamp(_ row: Row, hlcIndex: Int = 0) throws -> FieldStamp {
        let raw: Int64 = row[hlcIndex]
        let nodeText: String = row[hlcIndex + 1]
        guard let node = NodeID(nodeText) else { throw ReplicationError.malformedBatch("stored node id \(nodeText)") }
        return FieldStamp(hlc: HLCTimestamp(rawValue: UInt64(bitPattern: raw)), node: node)
    }
}

/// The compact encoding of a row's field stamps stored in `repl_rows.stamps`: a mode byte, then
/// one stamp (8-byte HLC, 16-byte node id) shared by every field — the usual case, a row
/// written in one go — or one stamp per field in column order.
enum StampCoding {
    private static let shared: UInt8 = 0, perField: UInt8 = 1

    /// Calls `body` with the encoding of `stamps` (in a stack buffer: no allocation per row).
    static func withEncoding<T>(of stamps: [FieldStamp], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let uniform = stamps.dropFirst().allSatisfy { $0 == stamps[0] }
        let count = uniform ? min(1, stamps.count) : stamps.count
        return try withUnsafeTemporaryAllocation(byteCount: 1 + 24 * count, alignment: 1) { buffer in
            buffer[0] = uniform ? shared : perField
            for index in 0..<count {
                let stamp = stamps[index]
                withUnsafeBytes(of: stamp.hlc.rawValue.littleEndian) { buffer.baseAddress!.advanced(by: 1 + 24 * index).copyMemory(from: $0.baseAddress!, byteCount: 8) }
                withUnsafeBytes(of: stamp.node.uuid.uuid) { buffer.baseAddress!.advanced(by: 9 + 24 * index).copyMemory(from: $0.baseAddress!, byteCount: 16) }
            }
            return try body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Decodes `count` stamps; columns added after the row was written get the `initial` stamp.
    static func decode(_ data: Data, count: Int) throws -> [FieldStamp] {
        var reader = BinaryReader(Array(data))
        let mode = try reader.byte()
        var stamps: [FieldStamp] = []
        stamps.reserveCapacity(count)
        while !reader.isAtEnd, stamps.count < count {
            stamps.append(FieldStamp(hlc: HLCTimestamp(rawValue: try reader.fixed64()), node: NodeID(try reader.uuid())))
        }
        if mode == shared, let stamp = stamps.first {
            return Array(repeating: stamp, count: count)
        }
        while stamps.count < count { stamps.append(.initial) }
        return stamps
    }
}
