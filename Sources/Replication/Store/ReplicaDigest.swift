import Crypto
import GRDB

/// An order-independent fingerprint of a replica's replicated state: two replicas with equal
/// digests hold the same rows, values, stamps and tombstones.
public struct ReplicaDigest: Sendable, Equatable, Codable {
    public struct TableDigest: Sendable, Equatable, Codable {
        public var table: String
        public var rows: Int
        public var tombstones: Int
        public var hash: String
    }

    public var tables: [TableDigest]
    /// The hash over every table.
    public var combined: String
}

extension ReplicatedStore {
    /// Computes the digest: per table, the XOR of the SHA-256 of each row's canonical encoding.
    public func digest() async throws -> ReplicaDigest {
        try await read { db in
            var all = [UInt8](repeating: 0, count: 32)
            var tables: [ReplicaDigest.TableDigest] = []
            for table in self.schema.tables {
                var accumulator = [UInt8](repeating: 0, count: 32)
                var rows = 0, tombstones = 0
                for row in try FeedRows(db: db, table: table).all() {
                    if row.tombstone == nil { rows += 1 } else { tombstones += 1 }
                    let hash = SHA256.hash(data: Self.canonicalBytes(of: row, table: table.name))
                    for (index, byte) in hash.enumerated() { accumulator[index] ^= byte }
                }
                for index in all.indices { all[index] ^= accumulator[index] }
                tables.append(.init(table: table.name, rows: rows, tombstones: tombstones, hash: accumulator.hexString))
            }
            return ReplicaDigest(tables: tables, combined: all.hexString)
        }
    }

    private static func canonicalBytes(of row: RowChange, table: String) -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: 256)
        writer.string(table)
        writer.string(row.id)
        if let tombstone = row.tombstone {
            writer.byte(0xFF)
            writer.fixed64(tombstone.hlc.rawValue)
            writer.uuid(tombstone.node.uuid)
        }
        for (index, value) in row.values.enumerated() {
            ChangeBatchCodec.write(value, to: &writer)
            if index < row.stamps.count {
                writer.fixed64(row.stamps[index].hlc.rawValue)
                writer.uuid(row.stamps[index].node.uuid)
            }
        }
        return writer.bytes
    }
}
