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
    private lazy var insertAllStatement = Result {
        try self.db.cachedStatement(sql: self.insertSQL(columns: Array(self.table.columns.indices)))
    }
    private lazy var insertIfAbsentStatement = Result {
        try self.db.cachedStatement(sql: self.insertSQL(columns: Array(self.table.columns.indices)) + " ON CONFLICT (id) DO NOTHING")
    }

    init(db: Database, table: ReplicatedTable) {
        self.db = db
        self.table = table
        quotedTable = "\"\(table.name)\""
        quotedColumns = table.columnNames.map { "\"\($0)\"" }
        selectSQL = "SELECT \(quotedColumns.joined(separator: ", ")) FROM \(quotedTable) WHERE id = ?"
    }

    /// An append-only row's values (aligned with the columns), or `nil` when it does not exist.
    func values(of id: String) throws -> [SQLValue]? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: selectSQL), arguments: [id]) else { return nil }
        return (0..<table.columns.count).map { SQLValue(row[$0] as DatabaseValue) }
    }

    /// The local state of a last-writer-wins row: values with their stamps, tombstone, or absent.
    func state(of id: String) throws -> LocalRowState {
        try FeedRows(db: db, table: table).states(of: [id])[id] ?? .absent
    }

    /// Inserts a last-writer-wins row with the given column positions set (the others take the
    /// table's defaults), its stamps and its feed position, in one statement.
    func insert(id: String, columns: [Int], values: [SQLValue], stamps: [FieldStamp], version: Int64) throws {
        let statement = columns.count == table.columns.count
            ? try insertAllStatement.get() : try db.cachedStatement(sql: insertSQL(columns: columns))
        let given = columns.count == table.columns.count ? values : columns.map { values[$0] }
        try StampCoding.withEncoding(of: stamps) { bytes in
            try statement.execute(leading: .text(id), values: given, trailing: .integer(version), blob: bytes)
        }
    }

    /// Sets some fields of a last-writer-wins row, with the row's new stamps and feed position.
    func update(id: String, columns: [Int], values: [SQLValue], stamps: [FieldStamp], version: Int64) throws {
        let assignments = columns.map { "\(quotedColumns[$0]) = ?" }.joined(separator: ", ")
        let sql = "UPDATE \(quotedTable) SET \(assignments), repl_version = ?, repl_stamps = ? WHERE id = ?"
        try db.cachedStatement(sql: sql).execute(
            values: columns.map { values[$0] } + [.integer(version), .blob(StampCoding.encode(stamps)), .text(id)]
        )
    }

    /// Removes a last-writer-wins row and records (or raises) its tombstone.
    func delete(id: String, tombstone: FieldStamp, version: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM \(quotedTable) WHERE id = ?").execute(values: [.text(id)])
        try db.cachedStatement(sql: """
            INSERT INTO repl_tombstones (db_version, tbl, row_id, hlc, node) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tbl, row_id) DO UPDATE SET db_version = excluded.db_version, hlc = excluded.hlc, node = excluded.node
            """).execute(values: [
                .integer(version), .text(table.name), .text(id),
                .integer(Int64(bitPattern: tombstone.hlc.rawValue)), .text(tombstone.node.description),
            ])
    }

    /// Inserts an append-only row unless its id already exists; returns whether the row was new.
    /// Every other constraint violation (another unique key, NOT NULL, CHECK) fails loudly.
    func insertIfAbsent(id: String, values: [SQLValue]) throws -> Bool {
        try insertIfAbsentStatement.get().execute(leading: .text(id), values: values)
        return db.changesCount > 0
    }

    /// Replaces every value of an append-only row (see `AppendMerge`).
    func replaceValues(id: String, values: [SQLValue]) throws {
        let assignments = quotedColumns.map { "\($0) = ?" }.joined(separator: ", ")
        try db.cachedStatement(sql: "UPDATE \(quotedTable) SET \(assignments) WHERE id = ?").execute(values: values + [.text(id)])
    }

    func recordAppend(id: String, version: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO repl_append_feed (db_version, tbl, row_id) VALUES (?, ?, ?)")
            .execute(values: [.integer(version), .text(table.name), .text(id)])
    }

    /// `INSERT INTO t (id, columns…[, repl_version, repl_stamps]) VALUES (?, …)`.
    private func insertSQL(columns: [Int]) -> String {
        var names = ["id"] + columns.map { quotedColumns[$0] }
        if table.kind == .lastWriterWins { names += ReplicatedTable.bookkeepingColumns }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return "INSERT INTO \(quotedTable) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
    }

    /// Reads a stamp from `hlc, node` columns starting at `hlcIndex`.
    static func stamp(_ row: Row, hlcIndex: Int = 0) throws -> FieldStamp {
        let raw: Int64 = row[hlcIndex]
        let nodeText: String = row[hlcIndex + 1]
        guard let node = NodeID(nodeText) else { throw ReplicationError.malformedBatch("stored node id \(nodeText)") }
        return FieldStamp(hlc: HLCTimestamp(rawValue: UInt64(bitPattern: raw)), node: node)
    }
}

/// The compact encoding of a row's field stamps stored in `repl_stamps`: a mode byte, then
/// one stamp (8-byte HLC, 16-byte node id) shared by every field — the usual case, a row
/// written in one go — followed by the number of fields it covers (2 bytes), or one stamp per
/// field in column order. Fields beyond those encoded (columns added to the table after the row
/// was written) decode as the `initial` stamp: never written.
enum StampCoding {
    private static let shared: UInt8 = 0, perField: UInt8 = 1

    /// Calls `body` with the encoding of `stamps` (in a stack buffer: no allocation per row).
    static func withEncoding<T>(of stamps: [FieldStamp], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let uniform = stamps.dropFirst().allSatisfy { $0 == stamps[0] }
        let count = uniform ? min(1, stamps.count) : stamps.count
        let coverage = uniform ? 2 : 0
        return try withUnsafeTemporaryAllocation(byteCount: 1 + 24 * count + coverage, alignment: 1) { buffer in
            buffer[0] = uniform ? shared : perField
            for index in 0..<count {
                let stamp = stamps[index]
                withUnsafeBytes(of: stamp.hlc.rawValue.littleEndian) { buffer.baseAddress!.advanced(by: 1 + 24 * index).copyMemory(from: $0.baseAddress!, byteCount: 8) }
                withUnsafeBytes(of: stamp.node.uuid.uuid) { buffer.baseAddress!.advanced(by: 9 + 24 * index).copyMemory(from: $0.baseAddress!, byteCount: 16) }
            }
            if uniform {
                buffer[1 + 24 * count] = UInt8(stamps.count & 0xFF)
                buffer[2 + 24 * count] = UInt8((stamps.count >> 8) & 0xFF)
            }
            return try body(UnsafeRawBufferPointer(buffer))
        }
    }

    static func encode(_ stamps: [FieldStamp]) -> Data {
        withEncoding(of: stamps) { Data($0) }
    }

    /// Decodes `count` stamps; columns added after the row was written get the `initial` stamp.
    static func decode(_ data: Data, count: Int) throws -> [FieldStamp] {
        var reader = BinaryReader(Array(data))
        let mode = try reader.byte()
        var stamps: [FieldStamp] = []
        stamps.reserveCapacity(count)
        if mode == shared {
            let stamp = FieldStamp(hlc: HLCTimestamp(rawValue: try reader.fixed64()), node: NodeID(try reader.uuid()))
            let covered = reader.isAtEnd ? count : Int(try reader.byte()) | Int(try reader.byte()) << 8
            stamps = Array(repeating: stamp, count: min(covered, count))
        } else {
            while !reader.isAtEnd, stamps.count < count {
                stamps.append(FieldStamp(hlc: HLCTimestamp(rawValue: try reader.fixed64()), node: NodeID(try reader.uuid())))
            }
        }
        while stamps.count < count { stamps.append(.initial) }
        return stamps
    }
}
