import Foundation
import GRDB
import Testing
import Replication

/// Derived state follows an append-only table in the same transaction, for local appends and
/// merged rows (including rows an incoming copy replaces), so replicas with equal rows have equal
/// derived state.
@Suite struct AppendDerivationTests {
    /// Per kind: the sum and count of `events.value`.
    struct EventTotals: AppendDerivation {
        let table = "events"

        func apply(_ rows: [AppendedRow], in db: Database) throws {
            for row in rows {
                let named = TestSchema.events.named(row.values)
                guard case .text(let kind) = named["kind"], case .real(let value) = named["value"] else { continue }
                var delta = value, count = 1
                if let replaced = row.replaced, case .real(let old) = TestSchema.events.named(replaced)["value"] {
                    delta -= old
                    count = 0
                }
                try db.execute(sql: """
                    INSERT INTO event_totals (kind, total, count) VALUES (?, ?, ?)
                    ON CONFLICT (kind) DO UPDATE SET total = total + excluded.total, count = count + excluded.count
                    """, arguments: [kind, delta, count])
            }
        }
    }

    static func migrations(_ migrator: inout DatabaseMigrator) {
        TestSchema.migrations(&migrator)
        migrator.registerMigration("test-v2-event-totals") { db in
            try db.execute(sql: "CREATE TABLE event_totals (kind TEXT PRIMARY KEY NOT NULL, total REAL NOT NULL, count INTEGER NOT NULL)")
        }
    }

    func replica(_ index: Int) throws -> ReplicatedStore {
        try ReplicatedStore.inMemory(
            schema: TestSchema.schema, migrations: Self.migrations, nodeID: TestSchema.nodeID(index), derivations: [EventTotals()]
        )
    }

    func append(_ store: ReplicatedStore, _ id: String, kind: String, ts: Int, value: Double) async throws {
        try await store.write { write in
            try write.append(to: "events", id: id, values: ["patient": .text("p"), "kind": .text(kind), "ts": .integer(Int64(ts)), "value": .real(value)])
        }
    }

    /// The derived totals, and the same recomputed from the rows.
    func totals(_ store: ReplicatedStore) async throws -> (derived: [String: Double], recomputed: [String: Double]) {
        try await store.read { db in
            let derived = try Row.fetchAll(db, sql: "SELECT kind, total FROM event_totals WHERE count > 0")
            let recomputed = try Row.fetchAll(db, sql: "SELECT kind, sum(value) AS total FROM events GROUP BY kind")
            func table(_ rows: [Row]) -> [String: Double] { Dictionary(uniqueKeysWithValues: rows.map { ($0["kind"], $0["total"]) }) }
            return (table(derived), table(recomputed))
        }
    }

    @Test func localAppendsAndMergedRowsKeepTheDerivedStateEqualAtBothReplicas() async throws {
        let a = try replica(1), b = try replica(2)
        try await append(a, "e1", kind: "steps", ts: 1, value: 1)
        try await append(a, "e2", kind: "steps", ts: 2, value: 2)
        try await append(a, "e2", kind: "steps", ts: 2, value: 2)  // a duplicate: nothing derived
        try await append(b, "e1", kind: "steps", ts: 1, value: 5)  // the same fact, recorded differently at B
        try await append(b, "e3", kind: "hr", ts: 3, value: 70)
        try await b.apply(try await a.changes(since: 0, limit: 100))
        try await a.apply(try await b.changes(since: 0, limit: 100))
        try await b.apply(try await a.changes(since: 0, limit: 100))  // again: idempotent
        let (derivedA, recomputedA) = try await totals(a)
        let (derivedB, recomputedB) = try await totals(b)
        #expect(derivedA == recomputedA && derivedB == recomputedB)
        #expect(derivedA == derivedB && derivedA.keys.sorted() == ["hr", "steps"])
    }

    @Test func aRolledBackTransactionDerivesNothing() async throws {
        let store = try replica(1)
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await store.write { write in
                try write.append(to: "events", id: "e1", values: ["patient": .text("p"), "kind": .text("steps"), "ts": .integer(1), "value": .real(1)])
                throw Abort()
            }
        }
        try await append(store, "e2", kind: "hr", ts: 2, value: 60)
        #expect(try await totals(store).derived == ["hr": 60])
    }

    @Test func aDerivationMustFollowAnAppendOnlyTable() {
        struct FollowsThings: AppendDerivation {
            let table = "things"
            func apply(_ rows: [AppendedRow], in db: Database) throws {}
        }
        #expect(throws: ReplicationError.self) {
            try ReplicatedStore.inMemory(schema: TestSchema.schema, migrations: TestSchema.migrations, nodeID: TestSchema.nodeID(1), derivations: [FollowsThings()])
        }
    }
}
