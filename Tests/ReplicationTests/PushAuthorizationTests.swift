import Foundation
import GRDB
import Testing
@testable import Replication

/// A rule for tests: a `things` row belongs to the scope in its `phone` field, an event to the
/// scope in its `kind` field, and only that scope's nodes may change them.
struct PhoneOwnership: PushAuthorizer {
    let governedTables: Set<String> = ["things", "events"]

    func refusal(of change: ProposedChange, by pusher: Pusher, in db: Database) throws -> String? {
        let field = change.table == "events" ? "kind" : "phone"
        let owners = Set([change.current, change.incoming].compactMap { $0?[field]?.text })
        return owners.allSatisfy { $0 == pusher.scope } ? nil : "owned by \(owners.sorted().joined(separator: ","))"
    }
}

@Suite struct PushAuthorizationTests {
    let hub: ReplicatedStore
    let node: ReplicatedStore
    var pusher: Pusher { Pusher(nodeID: node.identity.nodeID, scope: "north") }

    init() throws {
        hub = try TestSchema.replica(9)
        node = try TestSchema.replica(1, clock: ManualClock(1_760_000_001_000))  // its writes stamp later than the hub's
    }

    /// Pushes the node's whole feed to the hub as its scope.
    func push() async throws -> ApplyResult {
        let checkpoint = try await hub.checkpoint(of: node.identity.nodeID)?.dbVersion ?? 0
        return try await hub.apply(try await node.changes(since: checkpoint, limit: 1000), authorization: (pusher, PhoneOwnership()))
    }

    @Test func aNodeChangesOnlyWhatItsScopeOwnsAndRefusalsAreRecorded() async throws {
        try await node.write { write in
            try write.insert(into: "things", id: "own", values: ["name": "mine", "phone": "north"])
            try write.insert(into: "things", id: "foreign", values: ["name": "theirs", "phone": "south"])
            try write.append(to: "events", id: "e1", values: ["patient": "p", "kind": "north", "ts": 1, "value": 1.5])
            try write.append(to: "events", id: "e2", values: ["patient": "p", "kind": "south", "ts": 2, "value": 1.5])
        }
        let result = try await push()
        #expect(result.applied == 2 && result.refused == 2, "an append-only row is authorized like any other: \(result)")
        #expect(try await hub.thing("own")?["name"] == "mine")
        #expect(try await hub.thing("foreign") == nil)
        let refused = try await hub.refusedChanges()
        #expect(refused.map(\.rowId).sorted() == ["e2", "foreign"] && refused.allSatisfy { $0.peer == node.identity.nodeID && $0.count == 1 })
        #expect(refused.allSatisfy { $0.reason == "owned by south" })
        #expect(try await hub.status(peers: []).refusedChanges == refused, "status reports refusals")
        #expect(result.checkpoint == node.dbVersion, "the checkpoint advances past the refused row")
    }

    @Test func movingARowToAnotherScopeOrOverwritingAnotherScopesRowIsRefused() async throws {
        let other = try TestSchema.replica(2)
        try await other.write { try $0.insert(into: "things", id: "t", values: ["name": "south's", "phone": "south"]) }
        try await hub.pullAll(from: other)
        try await node.pullAll(from: hub)
        try await node.write { try $0.update("things", id: "t", set: ["name": "hijacked"]) }
        #expect(try await push().refused == 1)
        #expect(try await hub.thing("t")?["name"] == "south's")

        try await node.write { try $0.insert(into: "things", id: "moved", values: ["name": "x", "phone": "north"]) }
        _ = try await push()
        try await hub.write { try $0.update("things", id: "moved", set: ["phone": "south"]) }
        try await node.write { try $0.update("things", id: "moved", set: ["name": "renamed"]) }
        #expect(try await push().refused == 1, "the hub's copy now belongs to south")
        #expect(try await hub.refusedChanges().first { $0.rowId == "t" }?.count == 1)
    }

    @Test func relayingRowsTheHubAlreadyHasIsNeverRefused() async throws {
        let other = try TestSchema.replica(2)
        try await other.write { try $0.insert(into: "things", id: "t", values: ["name": "south's", "phone": "south"]) }
        try await hub.pullAll(from: other)
        try await node.pullAll(from: hub)
        // The same values written independently (stamps differ, content does not): not a change of hands.
        try await hub.write { try $0.insert(into: "things", id: "same", values: ["name": "demo", "phone": "south"]) }
        try await node.write { try $0.insert(into: "things", id: "same", values: ["name": "demo", "phone": "south"]) }
        let result = try await push()
        #expect(result.refused == 0 && result.applied == 1, "the node's later stamps win, the content stays: \(result)")
        #expect(try await hub.refusedChanges().isEmpty)
    }

    @Test func aRefusedRowDoesNotMoveTheHubsClock() async throws {
        let farAhead = try TestSchema.replica(3, clock: ManualClock(1_760_000_000_000 + 86_400_000))  // a day ahead
        try await farAhead.write { try $0.insert(into: "things", id: "foreign", values: ["name": "theirs", "phone": "south"]) }
        let before = hub.lastClockReading
        let result = try await hub.apply(
            try await farAhead.changes(since: 0, limit: 100), authorization: (Pusher(nodeID: farAhead.identity.nodeID, scope: "north"), PhoneOwnership())
        )
        #expect(result.refused == 1)
        #expect(hub.lastClockReading == before && hub.clockSkewEvents == 0)

        try await farAhead.write { try $0.insert(into: "things", id: "own", values: ["name": "mine", "phone": "north"]) }
        _ = try await hub.apply(
            try await farAhead.changes(since: 0, limit: 100), authorization: (Pusher(nodeID: farAhead.identity.nodeID, scope: "north"), PhoneOwnership())
        )
        #expect(hub.lastClockReading > before && hub.clockSkewEvents == 1, "an accepted row does, and its skew is counted")
    }

    @Test func withoutAuthorizationEverythingIsApplied() async throws {
        try await node.write { try $0.insert(into: "things", id: "foreign", values: ["name": "theirs", "phone": "south"]) }
        #expect(try await hub.apply(try await node.changes(since: 0, limit: 100)).applied == 1)
    }
}
