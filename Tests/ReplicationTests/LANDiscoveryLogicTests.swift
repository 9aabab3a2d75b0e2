import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import Replication

@Suite struct TXTRecordTests {
    func record(_ items: [String]) -> [UInt8] {
        items.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    @Test func parsesLengthPrefixedPairs() {
        let bytes = record(["node_id=abc", "Facility=HC-B2631D", "flag", "empty=", "node_id=second"])
        #expect(TXTRecord.parse(bytes) == ["node_id": "abc", "facility": "HC-B2631D", "flag": "", "empty": ""],
                "keys are lowercased; a repeated key keeps its first value")
    }

    @Test func toleratesMalformedData() {
        #expect(TXTRecord.parse([]) == [:])
        #expect(TXTRecord.parse([0, 0]) == [:])
        #expect(TXTRecord.parse(record(["=nokey"])) == [:])
        #expect(TXTRecord.parse(record(["a=1"]) + [9, 98]) == ["a": "1"], "a truncated item ends the parse")
    }
}

@Suite struct DiscoveredPeersTests {
    let local = TestSchema.nodeID(1)

    func sighting(_ node: Int, name: String? = nil, interface: UInt32 = 2, address: String = "10.0.0.5", facility: String = "HC-B2631D",
                  proto: String = "\(ReplicationProtocol.version)") -> DiscoveredService {
        DiscoveredService(
            name: name ?? "node-\(node)", interfaceIndex: interface, host: "host-\(node).local", port: 8443,
            txt: ["node_id": TestSchema.nodeID(node).description, "facility": facility, "port": "8443", "proto": proto], address: address
        )
    }

    @Test func onlyOtherNodesOfThisFacilityAndProtocolAreCandidates() {
        var peers = DiscoveredPeers(localNodeID: local, facility: "HC-B2631D", dropAfter: 60)
        let now = Date()
        #expect(peers.found(sighting(2), at: now) == .candidate(TestSchema.nodeID(2)))
        #expect(peers.found(sighting(1), at: now) == .ignored("this node itself"))
        #expect(peers.found(sighting(3, facility: "HC-L9MLES"), at: now) == .ignored("facility HC-L9MLES, not HC-B2631D"))
        #expect(peers.found(sighting(4, proto: "99"), at: now) == .ignored("protocol 99"))
        var anonymous = sighting(5)
        anonymous.txt["node_id"] = "not-a-uuid"
        #expect(peers.found(anonymous, at: now) == .ignored("no node id in its TXT record"))
        #expect(peers.candidates == [.init(nodeID: TestSchema.nodeID(2), url: "https://10.0.0.5:8443")])
    }

    @Test func aNodeSeenOnSeveralInterfacesIsOneCandidateWithAStableAddress() {
        let now = Date()
        var peers = DiscoveredPeers(localNodeID: local, facility: "HC-B2631D", dropAfter: 60)
        _ = peers.found(sighting(2, interface: 3, address: "10.0.1.5"), at: now)
        _ = peers.found(sighting(2, interface: 2, address: "10.0.0.5"), at: now)
        _ = peers.found(sighting(2, interface: 4, address: "10.0.2.5"), at: now)
        #expect(peers.candidates == [.init(nodeID: TestSchema.nodeID(2), url: "https://10.0.1.5:8443")], "kept while that sighting lasts")
        peers.lost(name: "node-2", interfaceIndex: 3, at: now)
        #expect(peers.candidates == [.init(nodeID: TestSchema.nodeID(2), url: "https://10.0.0.5:8443")], "then the lowest interface")
        peers.lost(name: "node-2", interfaceIndex: 2, at: now)
        peers.lost(name: "node-2", interfaceIndex: 4, at: now)
        #expect(peers.candidates == [.init(nodeID: TestSchema.nodeID(2), url: "https://10.0.2.5:8443")], "gone: retried at its last address")
    }

    @Test func aVanishedPeerIsKeptUntilTheTimeoutThenDropped() {
        var peers = DiscoveredPeers(localNodeID: local, facility: "HC-B2631D", dropAfter: 60)
        let start = Date(timeIntervalSince1970: 1_000_000)
        _ = peers.found(sighting(2), at: start)
        peers.lost(name: "node-2", interfaceIndex: 2, at: start.addingTimeInterval(10))
        #expect(peers.expire(at: start.addingTimeInterval(69)) == [])
        #expect(peers.candidates.map(\.nodeID) == [TestSchema.nodeID(2)], "retried while it may come back")
        #expect(peers.expire(at: start.addingTimeInterval(70)) == [TestSchema.nodeID(2)])
        #expect(peers.candidates.isEmpty)

        _ = peers.found(sighting(2, address: "10.0.0.9"), at: start.addingTimeInterval(80))
        peers.lost(name: "node-2", interfaceIndex: 2, at: start.addingTimeInterval(90))
        _ = peers.found(sighting(2, address: "10.0.0.9"), at: start.addingTimeInterval(95))
        #expect(peers.expire(at: start.addingTimeInterval(500)) == [], "it came back: no timeout runs")
        #expect(peers.candidates == [.init(nodeID: TestSchema.nodeID(2), url: "https://10.0.0.9:8443")])
    }

    @Test func aNameTakenOverByAnotherNodeRetiresTheOldOne() {
        var peers = DiscoveredPeers(localNodeID: local, facility: "HC-B2631D", dropAfter: 60)
        let start = Date(timeIntervalSince1970: 1_000_000)
        _ = peers.found(sighting(2, name: "ward"), at: start)
        _ = peers.found(sighting(3, name: "ward", address: "10.0.0.7"), at: start)
        #expect(peers.expire(at: start.addingTimeInterval(60)) == [TestSchema.nodeID(2)])
        #expect(peers.candidates == [.init(nodeID: TestSchema.nodeID(3), url: "https://10.0.0.7:8443")])
    }

    @Test func aLossOfAnUnknownSightingChangesNothing() {
        var peers = DiscoveredPeers(localNodeID: local, facility: "HC-B2631D", dropAfter: 60)
        _ = peers.found(sighting(2), at: Date())
        peers.lost(name: "stranger", interfaceIndex: 2, at: Date())
        #expect(peers.expire(at: Date().addingTimeInterval(3600)) == [])
        #expect(peers.candidates.count == 1)
    }
}

@Suite struct PeerRosterTests {
    @Test func eachWantedPeerIsClaimedOnceAndReleasedWhenUnwanted() {
        let roster = PeerRoster()
        let b = TestSchema.nodeID(2), c = TestSchema.nodeID(3)
        roster.publish(["https://a": b, "https://b": c])
        #expect(roster.claimUnfollowed().map(\.url) == ["https://a", "https://b"])
        #expect(roster.claimUnfollowed().isEmpty)
        roster.publish(["https://b": c])
        #expect(roster.keepFollowing("https://b", c))
        #expect(!roster.keepFollowing("https://a", b))
        roster.publish(["https://a": b, "https://b": c])
        #expect(roster.claimUnfollowed().map(\.url) == ["https://a"], "released, so claimed again when it returns")
    }

    @Test func anAddressThatChangesHandsIsFollowedForItsNewNode() {
        let roster = PeerRoster()
        let old = TestSchema.nodeID(2), new = TestSchema.nodeID(3)
        roster.publish(["https://a": old])
        _ = roster.claimUnfollowed()
        roster.publish(["https://a": new])
        #expect(roster.claimUnfollowed().map(\.nodeID) == [new], "the new node is followed at once")
        #expect(!roster.keepFollowing("https://a", old), "the old node's follower stops")
        #expect(roster.keepFollowing("https://a", new))
    }
}

@Suite struct DiscoveredPeerSyncTests {
    /// A transport whose address is a URL the roster names.
    struct NamedTransport: PeerTransport {
        let address: String
        let store: StoreTransport
        func status() async throws -> ReplicaStatus { try await store.status() }
        func changes(since: Int64, limit: Int, waitSeconds: Int) async throws -> ChangeBatch {
            try await store.changes(since: since, limit: limit, waitSeconds: waitSeconds)
        }
        func push(_ batch: ChangeBatch) async throws -> ApplyResult { try await store.push(batch) }
    }

    @Test func discoveredPeersAreFollowedWhileWantedAndLeaveTheBoardAfterwards() async throws {
        let a = try TestSchema.replica(1), b = try TestSchema.replica(2), c = try TestSchema.replica(3)
        let roster = PeerRoster(), board = SyncStatusBoard(addresses: [])
        let stores = ["https://a": a, "https://c": c]
        let service = SyncService(
            store: b, peers: [],
            discovered: .init(roster: roster) { url, _ in NamedTransport(address: url, store: StoreTransport(stores[url]!)) },
            settings: .init(batchLimit: 5, waitSeconds: 1, backoff: Backoff(base: .milliseconds(20), maximum: .milliseconds(50), minimum: .milliseconds(10))),
            board: board, logger: Logger(label: "test"), random: { 0.5 }
        )
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await a.write { try $0.insert(into: "things", id: "a1", values: ["name": "from A"]) }
            try await c.write { try $0.insert(into: "things", id: "c1", values: ["name": "from C"]) }
            roster.publish(["https://a": a.identity.nodeID, "https://c": TestSchema.nodeID(7)])
            try await eventually("A's write arrived") { try await b.thing("a1")?["name"] == "from A" }
            try await eventually("C refused: it is not the node it advertised") {
                board.snapshot().first { $0.address == "https://c" }?.state == .refused
            }
            #expect(try await b.thing("c1") == nil, "nothing is applied from a peer that is not who it claimed")
            #expect(board.snapshot().first { $0.address == "https://a" }?.nodeId == a.identity.nodeID)

            roster.publish([:])
            try await eventually("both gone from the board") { board.snapshot().isEmpty }
            roster.publish(["https://a": a.identity.nodeID])
            try await a.write { try $0.insert(into: "things", id: "a2", values: ["name": "again"]) }
            try await eventually("followed again when it returns") { try await b.thing("a2")?["name"] == "again" }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aFailedTLSHandshakeIsReportedAsARefusal() {
        var sync = PeerSync(localNodeID: TestSchema.nodeID(1), schemaFingerprint: "abc", backoff: Backoff(), waitSeconds: 20)
        #expect(sync.refuse(.untrusted("certificate verify failed")) == .untrusted("certificate verify failed"))
        #expect(sync.next == .backOff(Backoff().maximum))
    }
}
