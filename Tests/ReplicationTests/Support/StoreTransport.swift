import Replication
import Synchronization

/// A peer reached in-process: calls the peer store directly, long-polls on its notifier, and can
/// be switched off to simulate an unreachable peer.
final class StoreTransport: PeerTransport {
    let peer: ReplicatedStore
    private let reachable = Mutex(true)

    init(_ peer: ReplicatedStore) { self.peer = peer }

    var address: String { "memory://\(peer.identity.nodeID)" }

    func setReachable(_ value: Bool) { reachable.withLock { $0 = value } }

    private func check() throws {
        guard reachable.withLock({ $0 }) else { throw ReplicationError.peerUnavailable(address) }
    }

    func status() async throws -> ReplicaStatus {
        try check()
        return try await peer.status(peers: [])
    }

    func changes(since: Int64, limit: Int, waitSeconds: Int) async throws -> ChangeBatch {
        try check()
        if waitSeconds > 0 {
            await peer.notifier.waitForChanges(after: since, timeout: .seconds(waitSeconds))
        }
        try check()
        return try await peer.changes(since: since, limit: limit)
    }

    func push(_ batch: ChangeBatch) async throws -> ApplyResult {
        try check()
        return try await peer.apply(batch)
    }
}
