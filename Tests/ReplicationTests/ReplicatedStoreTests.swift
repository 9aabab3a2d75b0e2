import Foundation
import GRDB
import Testing
@testable import Replication

@Suite struct ReplicatedStoreTests {
    @Test func everyLocalWriteIsRecordedInTheFeed() async throws {
        let a = try TestSchema.replica(1)
        try await a.write { write in
            try write.insert(into: "things", id: "t1", values: ["name": "Ward 1", "status": "PENDING"])
            try write.append(to: "events", id: "e1", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 72.5])
        }
        let batch = try await a.changes(since: 0, limit: 100)
        #expect(batch.next == a.dbVersion)
        #expect(batch.head == a.dbVersion)
        #expect(batch.rowCount == 2)
        #expect(a.dbVersion == 2)  // one position per changed row
    }

    @Test func rawWritesToReplicatedTablesAreRefused() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("guard-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try ReplicatedStore.open(path: path, schema: TestSchema.schema, migrations: TestSchema.migrations)
        try await store.write { try $0.insert(into: "things", id: "t1", values: ["name": "a"]) }
        // A second connection to the same file, as a careless piece of code would open.
        let bypass = try DatabaseQueue(path: path)
        for sql in ["UPDATE things SET name = 'b'", "DELETE FROM things", "INSERT INTO things (id) VALUES ('t2')",
                    "INSERT INTO events (id, patient, kind, ts, value) VALUES ('e', 'p', 'k', 1, 1)"] {
            #expect(throws: DatabaseError.self) { try bypass.write { try $0.execute(sql: sql) } }
        }
        #expect(try await store.thing("t1")?["name"] == "a")
    }

    @Test func readsCannotWrite() async throws {
        let a = try TestSchema.replica(1)
        await #expect(throws: DatabaseError.self) {
            try await a.read { db in try db.execute(sql: "INSERT INTO things (id) VALUES ('x')") }
        }
    }

    @Test func insertUpdateDeleteRules() async throws {
        let a = try TestSchema.replica(1)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "a", "status": "APPROVED"]) }
        await #expect(throws: ReplicationError.rowExists(table: "things", id: "t1")) {
            try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "again"]) }
        }
        await #expect(throws: ReplicationError.monotonicViolation(table: "things", column: "status")) {
            try await a.write { try $0.update("things", id: "t1", set: ["status": "PENDING"]) }
        }
        await #expect(throws: ReplicationError.unknownColumn(table: "things", column: "nope")) {
            try await a.write { try $0.update("things", id: "t1", set: ["nope": 1]) }
        }
        let before = a.dbVersion
        try await a.write { try $0.update("things", id: "t1", set: ["name": "a"]) }
        #expect(a.dbVersion == before, "an unchanged value records nothing")
        try await a.write { try $0.delete(from: "things", id: "t1") }
        #expect(try await a.thing("t1") == nil)
        await #expect(throws: ReplicationError.rowExists(table: "things", id: "t1")) {
            try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "reborn"]) }
        }
        await #expect(throws: ReplicationError.rowNotFound(table: "things", id: "nope")) {
            try await a.write { try $0.update("things", id: "nope", set: ["name": "x"]) }
        }
    }

    /// Two replicas each create one row by upsert, concurrently, with different fields: after the
    /// merge both fields are there (the fields a creation did not write lose to any real write).
    @Test func concurrentUpsertsOfOneRowKeepEveryFieldWritten() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        try await a.write { try $0.upsert(into: "things", id: "t1", set: ["name": "Asha"]) }
        try await b.write { try $0.upsert(into: "things", id: "t1", set: ["phone": "+91 98765 43210"]) }
        try await b.apply(try await a.changes(since: 0, limit: 100))
        try await a.apply(try await b.changes(since: 0, limit: 100))
        for replica in [a, b] {
            let row = try await replica.thing("t1")
            #expect(row?["name"] == "Asha" && row?["phone"] == "+91 98765 43210")
        }
        try await a.write { try $0.upsert(into: "things", id: "t1", set: ["name": "Asha R"]) }
        #expect(try await a.thing("t1")?["name"] == "Asha R", "an existing row is updated")
        try await a.write { try $0.delete(from: "things", id: "t1") }
        await #expect(throws: ReplicationError.rowNotFound(table: "things", id: "t1")) {
            try await a.write { try $0.upsert(into: "things", id: "t1", set: ["name": "again"]) }
        }
    }

    @Test func appendOnlyRowsDeduplicateById() async throws {
        let a = try TestSchema.replica(1)
        let (first, second) = try await a.write { write in
            let first = try write.append(to: "events", id: "p|hr|1", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 70])
            let second = try write.append(to: "events", id: "p|hr|1", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 71])
            return (first, second)
        }
        #expect(first && !second)
        #expect(a.dbVersion == 1)
    }

    @Test func oneFactRecordedWithDifferentValuesConvergesToOneValue() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        _ = try await a.write { try $0.append(to: "events", id: "p|hr|1", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 71]) }
        _ = try await b.write { try $0.append(to: "events", id: "p|hr|1", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 70]) }
        try await a.pullAll(from: b)
        try await b.pullAll(from: a)
        #expect(try await a.digest() == b.digest())
    }

    @Test func anotherUniqueKeyViolationFailsLoudly() async throws {
        let a = try TestSchema.replica(1)
        await #expect(throws: DatabaseError.self) {
            try await a.write { write in
                try write.append(to: "events", id: "x", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 70])
                try write.append(to: "events", id: "y", values: ["patient": "p", "kind": "hr", "ts": 1, "value": 70])
            }
        }
        let feed = try await a.changes(since: 0, limit: 10)
        #expect(feed.rowCount == 0 && feed.head == 0, "the whole transaction rolled back")
        #expect(a.dbVersion == 0, "a rolled-back position is never announced")
    }

    @Test func longPollWaitsForACommittedChangeAndWakesOnIt() async throws {
        let a = try TestSchema.replica(1)
        await #expect(throws: ReplicationError.self) {
            try await a.write { write in
                try write.insert(into: "things", id: "t1", values: ["name": "x"])
                throw ReplicationError.rowNotFound(table: "things", id: "rolled back")
            }
        }
        // A later transaction that records nothing (a checkpoint-only apply, say) announces nothing either.
        let b = try TestSchema.replica(2)
        try await a.apply(try await b.changes(since: 0, limit: 10))
        #expect(a.dbVersion == 0)
        let clock = ContinuousClock()
        let idle = await clock.measure { await a.notifier.waitForChanges(after: a.dbVersion, timeout: .milliseconds(200)) }
        #expect(idle >= .milliseconds(190), "nothing committed: the poll is held, not answered at once")
        async let woken: Duration = clock.measure { await a.notifier.waitForChanges(after: 0, timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(50))
        try await a.write { try $0.insert(into: "things", id: "t2", values: ["name": "y"]) }
        #expect(await woken < .seconds(5))
    }

    @Test func concurrentEditsOfDifferentFieldsBothSurvive() async throws {
        let clockA = ManualClock(), clockB = ManualClock()
        let a = try TestSchema.replica(1, clock: clockA), b = try TestSchema.replica(2, clock: clockB)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "old", "phone": "111"]) }
        try await b.pullAll(from: a)
        clockA.advance(by: 10); clockB.advance(by: 20)
        try await a.write { try $0.update("things", id: "t1", set: ["name": "new name"]) }
        try await b.write { try $0.update("things", id: "t1", set: ["phone": "222"]) }
        try await a.pullAll(from: b)
        try await b.pullAll(from: a)
        #expect(try await a.thing("t1") == ["name": "new name", "phone": "222", "count": "", "status": "PENDING"])
        #expect(try await a.digest() == b.digest())
    }

    @Test func concurrentEditsOfOneFieldPickTheSameWinnerEverywhere() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "old"]) }
        try await b.pullAll(from: a)
        // Same physical time on both: the clock readings tie and the node id decides.
        try await a.write { try $0.update("things", id: "t1", set: ["name": "from A"]) }
        try await b.write { try $0.update("things", id: "t1", set: ["name": "from B"]) }
        try await a.pullAll(from: b)
        try await b.pullAll(from: a)
        let winner = try await a.thing("t1")?["name"]
        #expect(winner == "from B", "node 2 > node 1 breaks the tie")
        #expect(try await b.thing("t1")?["name"] == winner)
    }

    @Test func revocationWinsWhateverTheClocksSay() async throws {
        let clockA = ManualClock(), clockB = ManualClock()
        let a = try TestSchema.replica(1, clock: clockA), b = try TestSchema.replica(2, clock: clockB)
        try await a.write { try $0.insert(into: "things", id: "c1", values: ["status": "PENDING"]) }
        try await b.pullAll(from: a)
        clockB.advance(by: 1)
        try await b.write { try $0.update("things", id: "c1", set: ["status": "REVOKED"]) }
        clockA.advance(by: 60_000)  // A approves later by its clock, while partitioned
        try await a.write { try $0.update("things", id: "c1", set: ["status": "APPROVED"]) }
        try await a.pullAll(from: b)
        try await b.pullAll(from: a)
        #expect(try await a.thing("c1")?["status"] == "REVOKED")
        #expect(try await b.thing("c1")?["status"] == "REVOKED")
    }

    @Test func aTombstoneIsNeverResurrectedByAStaleUpdate() async throws {
        let clockA = ManualClock(), clockB = ManualClock()
        let a = try TestSchema.replica(1, clock: clockA), b = try TestSchema.replica(2, clock: clockB)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "x"]) }
        try await b.pullAll(from: a)
        try await a.write { try $0.delete(from: "things", id: "t1") }
        clockB.advance(by: 100_000)  // a later update by the clock, concurrent with the delete
        try await b.write { try $0.update("things", id: "t1", set: ["name": "edited after"]) }
        try await a.pullAll(from: b)
        try await b.pullAll(from: a)
        #expect(try await a.thing("t1") == nil)
        #expect(try await b.thing("t1") == nil)
        #expect(try await a.digest() == b.digest())
    }

    @Test func applyingABatchTwiceChangesNothingAndEchoesStop() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "x"]) }
        let batch = try await a.changes(since: 0, limit: 100)
        let first = try await b.apply(batch)
        let version = b.dbVersion
        let second = try await b.apply(batch)
        #expect(first.applied == 1 && second.applied == 0 && second.unchanged == 1)
        #expect(b.dbVersion == version)
        // B relays A's row in its own feed, but applying it back at A changes nothing.
        let echo = try await b.changes(since: 0, limit: 100)
        #expect(echo.rowCount == 1)
        let result = try await a.apply(echo)
        #expect(result.applied == 0)
    }

    @Test func changesRelayTransitively() async throws {
        let a = try TestSchema.replica(1), hub = try TestSchema.replica(2), c = try TestSchema.replica(3)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "from A"]) }
        try await hub.pullAll(from: a)
        try await c.pullAll(from: hub)
        #expect(try await c.thing("t1")?["name"] == "from A")
    }

    @Test func checkpointsResetWhenThePeerIncarnationChanges() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "x"]) }
        try await b.pullAll(from: a)
        #expect(try await b.checkpoint(of: a.identity.nodeID)?.dbVersion == a.dbVersion)
        var restarted = try await a.changes(since: 2, limit: 10)
        restarted.incarnation = UUID()
        try await b.apply(restarted)
        #expect(try await b.checkpoint(of: a.identity.nodeID)?.dbVersion == 0)
    }

    @Test func batchesFromAnotherSchemaAreHeldNotApplied() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "x"]) }
        var batch = try await a.changes(since: 0, limit: 10)
        batch.schemaFingerprint = "0000"
        await #expect(throws: ReplicationError.self) { try await b.apply(batch) }
        #expect(try await b.thing("t1") == nil)
        #expect(try await b.checkpoint(of: a.identity.nodeID) == nil)
    }

    @Test func batchesAreBoundedAndResumeAtTheirCheckpoint() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        try await a.write { write in
            for index in 0..<50 {
                try write.append(to: "events", id: "p|k|\(index)", values: ["patient": "p", "kind": "k", "ts": .integer(Int64(index)), "value": 1.0])
            }
        }
        let first = try await a.changes(since: 0, limit: 20)
        #expect(first.rowCount == 20 && first.hasMore)
        try await b.apply(first)
        let resumed = try await a.changes(since: try await b.checkpoint(of: a.identity.nodeID)!.dbVersion, limit: 100)
        #expect(resumed.rowCount == 30 && !resumed.hasMore)
        try await b.apply(resumed)
        #expect(try await a.digest() == b.digest())
    }
}

@Suite struct ReplicaIdentityTests {
    @Test func aDatabaseIsNeverOpenedAsAnotherNode() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try ReplicatedStore.open(path: path, schema: TestSchema.schema, migrations: TestSchema.migrations, proposedNodeID: TestSchema.nodeID(1))
        #expect(first.identity.nodeID == TestSchema.nodeID(1))
        #expect(throws: ReplicationError.self) {
            try ReplicatedStore.open(path: path, schema: TestSchema.schema, migrations: TestSchema.migrations, proposedNodeID: TestSchema.nodeID(2))
        }
        let again = try ReplicatedStore.open(path: path, schema: TestSchema.schema, migrations: TestSchema.migrations)
        #expect(again.identity == first.identity)
    }
}
