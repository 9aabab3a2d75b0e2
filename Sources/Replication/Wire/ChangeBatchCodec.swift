import Foundation

/// The binary encoding of a `ChangeBatch` (media type `application/x-cloudcare-changes`).
///
/// Layout: magic `CCE` + protocol version byte; header (origin, incarnation, fingerprint, since,
/// next, head); the batch's node-id dictionary; then per table its name, columns and rows. A row
/// is a flag byte (1 = live, 2 = deleted), its id, and either its values (each a type tag and
/// payload) with one stamp per value for LWW tables, or its tombstone stamp. A stamp is the HLC as
/// 8 bytes and an index into the node dictionary.
public enum ChangeBatchCodec {
    public static let mediaType = "application/x-cloudcare-changes"
    static let magic: [UInt8] = [0x43, 0x43, 0x45]  // "CCE"

    private enum RowFlag: UInt8 { case live = 1, deleted = 2 }
    private enum ValueTag: UInt8 { case null = 0, integer, real, text, blob }

    public static func encode(_ batch: ChangeBatch) -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: 64 + batch.rowCount * 96)
        magic.forEach { writer.byte($0) }
        writer.byte(UInt8(ReplicationProtocol.version))
        writer.uuid(batch.origin.uuid)
        writer.uuid(batch.incarnation)
        writer.string(batch.schemaFingerprint)
        writer.signed(batch.since)
        writer.signed(batch.next)
        writer.signed(batch.head)

        var nodeIndex: [NodeID: UInt64] = [:]
        var nodes: [NodeID] = []
        func register(_ node: NodeID) {
            guard nodeIndex[node] == nil else { return }
            nodeIndex[node] = UInt64(nodes.count)
            nodes.append(node)
        }
        for table in batch.tables {
            for row in table.rows {
                var previous: NodeID?
                for stamp in row.stamps where stamp.node != previous {
                    register(stamp.node)
                    previous = stamp.node
                }
                if let tombstone = row.tombstone { register(tombstone.node) }
            }
        }
        writer.varint(UInt64(nodes.count))
        nodes.forEach { writer.uuid($0.uuid) }

        func writeStamp(_ stamp: FieldStamp) {
            writer.fixed64(stamp.hlc.rawValue)
            writer.varint(nodeIndex[stamp.node]!)
        }

        writer.varint(UInt64(batch.tables.count))
        for table in batch.tables {
            writer.string(table.table)
            writer.varint(UInt64(table.columns.count))
            table.columns.forEach { writer.string($0) }
            writer.varint(UInt64(table.rows.count))
            for row in table.rows {
                writer.byte(row.tombstone == nil ? RowFlag.live.rawValue : RowFlag.deleted.rawValue)
                writer.string(row.id)
                if let tombstone = row.tombstone {
                    writeStamp(tombstone)
                    continue
                }
                writer.byte(row.stamps.isEmpty ? 0 : 1)
                for (index, value) in row.values.enumerated() {
                    Self.write(value, to: &writer)
                    if !row.stamps.isEmpty { writeStamp(row.stamps[index]) }
                }
            }
        }
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(ReplicationError) -> ChangeBatch {
        var reader = BinaryReader(bytes)
        for expected in magic where try reader.byte() != expected {
            throw .malformedBatch("not a change batch")
        }
        let version = try reader.byte()
        guard version == ReplicationProtocol.version else {
            throw .schemaMismatch(expected: "protocol \(ReplicationProtocol.version)", received: "protocol \(version)")
        }
        let origin = NodeID(try reader.uuid())
        let incarnation = try reader.uuid()
        let fingerprint = try reader.string()
        let since = try reader.signed()
        let next = try reader.signed()
        let head = try reader.signed()

        let nodes = try (0..<reader.count()).map { _ throws(ReplicationError) in NodeID(try reader.uuid()) }
        func stamp() throws(ReplicationError) -> FieldStamp {
            let hlc = HLCTimestamp(rawValue: try reader.fixed64())
            let index = try reader.varint()
            guard index < nodes.count else { throw .malformedBatch("node index out of range") }
            return FieldStamp(hlc: hlc, node: nodes[Int(index)])
        }

        var tables: [TableChanges] = []
        for _ in 0..<(try reader.count()) {
            let name = try reader.string()
            let columns = try (0..<reader.count()).map { _ throws(ReplicationError) in try reader.string() }
            var rows: [RowChange] = []
            let rowCount = try reader.count()
            rows.reserveCapacity(rowCount)
            for _ in 0..<rowCount {
                guard let flag = RowFlag(rawValue: try reader.byte()) else { throw .malformedBatch("bad row flag") }
                let id = try reader.string()
                if flag == .deleted {
                    rows.append(RowChange(id: id, values: [], tombstone: try stamp()))
                    continue
                }
                let stamped = try reader.byte() == 1
                var values: [SQLValue] = []
                var stamps: [FieldStamp] = []
                values.reserveCapacity(columns.count)
                for _ in columns {
                    values.append(try readValue(from: &reader))
                    if stamped { stamps.append(try stamp()) }
                }
                rows.append(RowChange(id: id, values: values, stamps: stamps))
            }
            tables.append(TableChanges(table: name, columns: columns, rows: rows))
        }
        guard reader.isAtEnd else { throw .malformedBatch("trailing bytes") }
        return ChangeBatch(
            origin: origin, incarnation: incarnation, schemaFingerprint: fingerprint,
            since: since, next: next, head: head, tables: tables
        )
    }

    /// Appends one value in the batch encoding; the digest hashes values in the same encoding.
    static func write(_ value: SQLValue, to writer: inout BinaryWriter) {
        switch value {
        case .null: writer.byte(ValueTag.null.rawValue)
        case .integer(let int):
            writer.byte(ValueTag.integer.rawValue)
            writer.signed(int)
        case .real(let double):
            writer.byte(ValueTag.real.rawValue)
            writer.fixed64(double.bitPattern)
        case .text(let string):
            writer.byte(ValueTag.text.rawValue)
            writer.string(string)
        case .blob(let data):
            writer.byte(ValueTag.blob.rawValue)
            writer.data(data)
        }
    }

    private static func readValue(from reader: inout BinaryReader) throws(ReplicationError) -> SQLValue {
        guard let tag = ValueTag(rawValue: try reader.byte()) else { throw .malformedBatch("bad value tag") }
        switch tag {
        case .null: return .null
        case .integer: return .integer(try reader.signed())
        case .real: return .real(Double(bitPattern: try reader.fixed64()))
        case .text: return .text(try reader.string())
        case .blob: return .blob(try reader.data())
        }
    }
}

/// Versioning of the sync protocol; sent in every batch and handshake.
public enum ReplicationProtocol {
    public static let version = 2
}
