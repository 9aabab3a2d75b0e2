import Foundation
import GRDB
import Replication
import Synchronization

/// A small schema exercising every kind of replicated table and merge rule.
enum TestSchema {
    static let statusOrder = ["PENDING", "APPROVED", "DENIED", "REVOKED"]

    static let things = ReplicatedTable.lastWriterWins("things", columns: [
        .init("name"), .init("phone"), .init("count"),
        .init("status", rule: .maxRegister(order: statusOrder)),
    ])
    static let events = ReplicatedTable.appendOnly("events", columns: ["patient", "kind", "ts", "value"])
    static let schema = ReplicationSchema(tables: [things, events])

    static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("test-v1") { db in
            try db.execute(sql: """
                CREATE TABLE things (
                    id TEXT PRIMARY KEY NOT NULL, name TEXT, phone TEXT, count INTEGER,
                    status TEXT NOT NULL DEFAULT 'PENDING');
                CREATE TABLE events (
                    id TEXT PRIMARY KEY NOT NULL, patient TEXT NOT NULL, kind TEXT NOT NULL,
                    ts INTEGER NOT NULL, value REAL NOT NULL, UNIQUE (patient, kind, ts));
                """)
            try things.addBookkeeping(in: db)
        }
    }

    static func replica(_ index: Int, clock: ManualClock = ManualClock()) throws -> ReplicatedStore {
        try ReplicatedStore.inMemory(
            schema: schema, migrations: migrations, nodeID: nodeID(index), clock: clock
        )
    }

    static func nodeID(_ index: Int) -> NodeID {
        NodeID(UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index))!)
    }
}

/// A physical clock the test moves by hand.
final class ManualClock: PhysicalClock {
    private let milliseconds: Mutex<UInt64>
    init(_ start: UInt64 = 1_760_000_000_000) { milliseconds = Mutex(start) }
    func nowMilliseconds() -> UInt64 { milliseconds.withLock { $0 } }
    func advance(by delta: UInt64) { milliseconds.withLock { $0 += delta } }
}

/// A reproducible random source (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ReplicatedStore {
    /// Pulls everything `peer` has beyond this replica's checkpoint, in batches of `limit`.
    func pullAll(from peer: ReplicatedStore, limit: Int = 1000) async throws {
        try await catchUp(from: StoreTransport(peer), batchLimit: limit)
    }

    func thing(_ id: String) async throws -> [String: String]? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT name, phone, count, status FROM things WHERE id = ?", arguments: [id]).map { row in
                ["name": row["name"] ?? "", "phone": row["phone"] ?? "", "count": (row["count"] as Int?).map(String.init) ?? "", "status": row["status"]]
            }
        }
    }
}
