import Testing
@testable import Replication

@Suite struct HybridLogicalClockTests {
    @Test func ticksAreStrictlyMonotonicEvenWhenPhysicalTimeStandsStillOrGoesBack() {
        var clock = HybridLogicalClock()
        var previous = HLCTimestamp.zero
        for now: UInt64 in [1000, 1000, 1000, 999, 500, 1001, 1001] {
            let reading = clock.tick(now: now)
            #expect(reading > previous)
            previous = reading
        }
        #expect(previous == HLCTimestamp(milliseconds: 1001, counter: 1))
    }

    @Test func tickFollowsPhysicalTimeWhenItMovesForward() {
        var clock = HybridLogicalClock(last: HLCTimestamp(milliseconds: 1000, counter: 7))
        #expect(clock.tick(now: 2000) == HLCTimestamp(milliseconds: 2000, counter: 0))
    }

    @Test func counterOverflowCarriesIntoMilliseconds() {
        var clock = HybridLogicalClock(last: HLCTimestamp(milliseconds: 1000, counter: .max))
        #expect(clock.tick(now: 1000) == HLCTimestamp(milliseconds: 1001, counter: 0))
    }

    @Test func receiveMakesLaterReadingsGreaterThanTheRemoteOne() {
        var clock = HybridLogicalClock()
        _ = clock.tick(now: 1000)
        let remote = HLCTimestamp(milliseconds: 5000, counter: 3)
        let skewed = clock.receive(remote, now: 1000)
        #expect(!skewed)
        #expect(clock.last == HLCTimestamp(milliseconds: 5000, counter: 4))
        #expect(clock.tick(now: 1000) > remote)
    }

    @Test func receiveRuleCases() {
        var sameMillis = HybridLogicalClock(last: HLCTimestamp(milliseconds: 100, counter: 2))
        sameMillis.receive(HLCTimestamp(milliseconds: 100, counter: 5), now: 50)
        #expect(sameMillis.last == HLCTimestamp(milliseconds: 100, counter: 6))

        var localAhead = HybridLogicalClock(last: HLCTimestamp(milliseconds: 200, counter: 2))
        localAhead.receive(HLCTimestamp(milliseconds: 100, counter: 9), now: 50)
        #expect(localAhead.last == HLCTimestamp(milliseconds: 200, counter: 3))

        var physicalAhead = HybridLogicalClock(last: HLCTimestamp(milliseconds: 200, counter: 2))
        physicalAhead.receive(HLCTimestamp(milliseconds: 100, counter: 9), now: 300)
        #expect(physicalAhead.last == HLCTimestamp(milliseconds: 300, counter: 0))
    }

    @Test func farFutureRemoteReadingIsAcceptedButReportedAsSkew() {
        var clock = HybridLogicalClock(maximumForwardSkewMilliseconds: 60_000)
        let future = HLCTimestamp(milliseconds: 1_000 + 3_600_000, counter: 0)
        let skewed = clock.receive(future, now: 1_000)
        #expect(skewed)
        #expect(clock.last > future)
        let normal = clock.receive(HLCTimestamp(milliseconds: 1_500, counter: 0), now: 1_000)
        #expect(!normal)
    }

    @Test func storeCountsSkewedBatchesAndKeepsTheirData() async throws {
        let clockA = ManualClock(), clockB = ManualClock()
        let a = try TestSchema.replica(1, clock: clockA), b = try TestSchema.replica(2, clock: clockB)
        clockA.advance(by: 3_600_000)  // A's clock runs an hour fast
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "from the future"]) }
        try await b.pullAll(from: a)
        #expect(b.clockSkewEvents == 1)
        #expect(try await b.thing("t1")?["name"] == "from the future")
        #expect(b.lastClockReading.milliseconds >= clockA.nowMilliseconds())
    }

    @Test func clockHighWaterMarkSurvivesReopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hlc-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let fast = ManualClock(2_000_000_000_000)
        let first = try ReplicatedStore.open(path: path, schema: TestSchema.schema, migrations: TestSchema.migrations, clock: fast)
        try await first.write { try $0.insert(into: "things", id: "t1", values: ["name": "x"]) }
        let reading = first.lastClockReading
        let identity = first.identity
        let slow = ManualClock(1_000_000_000_000)
        let reopened = try ReplicatedStore.open(path: path, schema: TestSchema.schema, migrations: TestSchema.migrations, clock: slow)
        #expect(reopened.identity == identity)
        #expect(reopened.lastClockReading == reading)
        #expect(reopened.dbVersion == first.dbVersion)
    }
}

import Foundation

@Suite struct NodeIDTests {
    @Test func byteOrderIsTheOrderOfTheLowercaseStrings() {
        var generator = SeededGenerator(state: 5)
        for _ in 0..<500 {
            let a = NodeID(RowIDs.timeOrdered(milliseconds: UInt64.random(in: 0...1_000_000, using: &generator), using: &generator))
            let b = NodeID(RowIDs.timeOrdered(milliseconds: UInt64.random(in: 0...1_000_000, using: &generator), using: &generator))
            #expect((a < b) == (a.description < b.description))
        }
    }
}
