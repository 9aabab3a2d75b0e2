import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import Replication

@Suite struct SyncServiceTests {
    func service(_ store: ReplicatedStore, peers: [StoreTransport], board: SyncStatusBoard, waitSeconds: Int = 5) -> SyncService {
        SyncService(
            store: store, peers: peers,
            settings: .init(batchLimit: 3, waitSeconds: waitSeconds, backoff: Backoff(base: .milliseconds(20), maximum: .milliseconds(50), minimum: .milliseconds(10))),
            board: board, logger: Logger(label: "test"), random: { 0.5 }
        )
    }

    /// Runs the service until `body` returns, then shuts it down gracefully.
    func running(_ service: SyncService, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aLocalWriteReachesTheFollowerPromptlyThroughLongPolling() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        let board = SyncStatusBoard(addresses: [StoreTransport(a).address])
        try await running(service(b, peers: [StoreTransport(a)], board: board, waitSeconds: 30)) {
            try await eventually("idle") { board.snapshot().first?.state == .idle }
            let written = Date()
            try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "fresh"]) }
            try await eventually("replicated", within: 15) { try await b.thing("t1")?["name"] == "fresh" }
            // Typically milliseconds; the bound leaves room for a loaded machine, far below the wait.
            #expect(Date().timeIntervalSince(written) < 10, "woken by the write, not by the 30 s poll wait")
            #expect(board.snapshot().first?.nodeId == a.identity.nodeID)
        }
    }

    @Test func anUnreachablePeerIsRetriedWithBackoffAndCaughtUpWhenBack() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2)
        let transport = StoreTransport(a)
        transport.setReachable(false)
        let board = SyncStatusBoard(addresses: [transport.address])
        try await running(service(b, peers: [transport], board: board)) {
            try await eventually("several failures") { (board.snapshot().first?.consecutiveFailures ?? 0) >= 3 }
            #expect(board.snapshot().first?.state == .backingOff)
            try await a.write { write in
                for index in 0..<10 { try write.insert(into: "things", id: "t\(index)", values: ["name": "n"]) }
            }
            transport.setReachable(true)
            try await eventually("caught up in batches of 3") { try await a.digest() == b.digest() }
            try await eventually("idle again") { board.snapshot().first?.state == .idle }
            #expect(board.snapshot().first?.backlog == 0)
        }
    }

    @Test func gracefulShutdownEndsAnEmptyService() async throws {
        let a = try TestSchema.replica(1)
        try await running(service(a, peers: [], board: SyncStatusBoard(addresses: []))) {}
    }

    @Test func peerSyncDecisions() {
        var sync = PeerSync(localNodeID: TestSchema.nodeID(1), schemaFingerprint: "abc", backoff: Backoff(), waitSeconds: 20)
        #expect(sync.next == .handshake)
        var status = ReplicaStatus(
            nodeId: TestSchema.nodeID(2), incarnation: UUID(), schemaFingerprint: "abc", protocolVersion: ReplicationProtocol.version,
            dbVersion: 40, hlc: "", clockSkewEvents: 0, checkpoints: [], peers: []
        )
        let stored = PeerCheckpoint(peer: TestSchema.nodeID(2), incarnation: status.incarnation, dbVersion: 25)
        #expect(sync.handshake(status, stored: stored) == nil)
        #expect(sync.next == .fetch(since: 25, waitSeconds: 0))
        #expect(sync.backlog == 15)

        var restarted = status
        restarted.incarnation = UUID()
        var fresh = PeerSync(localNodeID: TestSchema.nodeID(1), schemaFingerprint: "abc", backoff: Backoff(), waitSeconds: 20)
        #expect(fresh.handshake(restarted, stored: stored) == nil)
        #expect(fresh.next == .fetch(since: 0, waitSeconds: 0), "a new incarnation resets the checkpoint")

        status.schemaFingerprint = "other"
        var mismatch = PeerSync(localNodeID: TestSchema.nodeID(1), schemaFingerprint: "abc", backoff: Backoff(), waitSeconds: 20)
        #expect(mismatch.handshake(status, stored: nil) == .schemaMismatch("other"))
        status.schemaFingerprint = "abc"
        status.nodeId = TestSchema.nodeID(1)
        #expect(mismatch.handshake(status, stored: nil) == .isSelf)

        sync.failed(fraction: 1)
        #expect(sync.next == .backOff(.milliseconds(500)))
        sync.failed(fraction: 1)
        #expect(sync.next == .backOff(.seconds(1)))
        sync.backedOff()
        #expect(sync.next == .handshake)
    }

    @Test func backoffGrowsExponentiallyWithJitterWithinBounds() {
        let backoff = Backoff(base: .milliseconds(100), maximum: .seconds(2), minimum: .milliseconds(10))
        #expect(backoff.delay(afterFailures: 0, fraction: 1) == .zero)
        #expect(backoff.delay(afterFailures: 1, fraction: 1) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 4, fraction: 1) == .milliseconds(800))
        #expect(backoff.delay(afterFailures: 40, fraction: 1) == .seconds(2))
        #expect(backoff.delay(afterFailures: 4, fraction: 0.5) == .milliseconds(400))
        #expect(backoff.delay(afterFailures: 4, fraction: 0) == .milliseconds(10))
    }
}

@Suite struct HubSyncTests {
    @Test func nodesThatOnlyTalkToTheHubStillConverge() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2), hub = try TestSchema.replica(9)
        let settings = SyncService.Settings(batchLimit: 4, waitSeconds: 5, backoff: Backoff(base: .milliseconds(20), maximum: .milliseconds(50)))
        func service(_ store: ReplicatedStore) -> SyncService {
            SyncService(
                store: store, peers: [StoreTransport(hub)], hub: StoreTransport(hub), settings: settings,
                board: SyncStatusBoard(addresses: [StoreTransport(hub).address]), logger: Logger(label: "test")
            )
        }
        let group = ServiceGroup(configuration: .init(services: [service(a), service(b)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await a.write { write in
                for index in 0..<10 { try write.insert(into: "things", id: "a\(index)", values: ["name": "from A"]) }
            }
            try await b.write { try $0.insert(into: "things", id: "b0", values: ["name": "from B"]) }
            for _ in 0..<200 {
                let digests = try await [a.digest(), b.digest(), hub.digest()]
                if Set(digests.map(\.combined)).count == 1, digests[0].tables.first?.rows == 11 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await b.thing("a9")?["name"] == "from A", "A's write reached B through the hub")
            #expect(try await a.thing("b0")?["name"] == "from B")
            #expect(try await hub.digest() == a.digest())
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aPushResumesFromTheHubsCheckpoint() async throws {
        let a = try TestSchema.replica(1), hub = try TestSchema.replica(9)
        try await a.write { write in
            for index in 0..<7 { try write.insert(into: "things", id: "t\(index)", values: ["name": "x"]) }
        }
        let position = try await a.push(to: StoreTransport(hub), batchLimit: 3).position
        #expect(position == a.dbVersion)
        #expect(try await hub.checkpoint(of: a.identity.nodeID)?.dbVersion == position)
        let hubVersion = hub.dbVersion
        #expect(try await a.push(to: StoreTransport(hub), batchLimit: 3).position == position, "nothing new: nothing sent")
        #expect(hub.dbVersion == hubVersion)
        await #expect(throws: ReplicationError.self) { try await a.push(to: StoreTransport(a), batchLimit: 3) }
    }
}
