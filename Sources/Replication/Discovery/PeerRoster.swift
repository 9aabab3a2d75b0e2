import Synchronization

/// The peers found at run time (LAN discovery), shared between the service that finds them and
/// the sync service that follows them. The finder publishes the whole set; the follower claims
/// each new peer once, and a follow loop asks before every round whether its peer is still wanted
/// — the answer and the release happen under one lock, so a peer that leaves and comes straight
/// back is never left unfollowed.
public final class PeerRoster: Sendable {
    /// A follower's subject: where, and which node is expected there (an address may change hands).
    private struct Subject: Hashable {
        let url: String
        let nodeID: NodeID
    }

    private struct State {
        var wanted: [String: NodeID] = [:]
        var followed: Set<Subject> = []
    }

    private let state = Mutex(State())
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Replaces the set of wanted peers: replication URL → the node id they advertise.
    public func publish(_ peers: [String: NodeID]) {
        let changed = state.withLock { state in
            defer { state.wanted = peers }
            return state.wanted != peers
        }
        if changed { continuation.yield() }
    }

    /// The peers wanted now: replication URL → the node id advertised there.
    public var wanted: [String: NodeID] { state.withLock { $0.wanted } }

    /// Wakes whenever the wanted set changes; ends with `close()`.
    var changes: AsyncStream<Void> { stream }

    /// The wanted peers nobody follows yet, now marked as followed.
    func claimUnfollowed() -> [(url: String, nodeID: NodeID)] {
        state.withLock { state in
            let new = state.wanted.map { Subject(url: $0.key, nodeID: $0.value) }.filter { !state.followed.contains($0) }
                .sorted { $0.url < $1.url }
            state.followed.formUnion(new)
            return new.map { ($0.url, $0.nodeID) }
        }
    }

    /// Whether the follower of `nodeID` at `url` should go on (the node is still wanted there); if
    /// not, it is released in the same step.
    func keepFollowing(_ url: String, _ nodeID: NodeID) -> Bool {
        state.withLock { state in
            if state.wanted[url] == nodeID { return true }
            state.followed.remove(Subject(url: url, nodeID: nodeID))
            return false
        }
    }

    /// Ends `changes` (graceful shutdown).
    func close() {
        continuation.finish()
    }
}
