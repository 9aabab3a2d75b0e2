import Domain
import Replication
import Synchronization

/// The principals of recent callers, so an API request does not look its account up again: kept
/// until a transaction changes `users` or `doctors` (an account deactivated, a role or a doctor's
/// hospital changed — here or merged from a peer), which forgets them all.
final class PrincipalCache: Sendable {
    /// Principals kept at most.
    static let capacity = 10_000

    private struct State {
        var generation: UInt64 = 0
        var principals: [User.ID: Principal] = [:]
    }

    private let state = Mutex(State())

    init(store: ReplicatedStore) {
        store.onCommit(changing: [DomainTables.users.name, DomainTables.doctors.name]) { [self] in forgetAll() }
    }

    private func forgetAll() {
        state.withLock { state in
            state.generation += 1
            state.principals.removeAll()
        }
    }

    /// The user's principal: the kept one, or `load`'s, kept unless the accounts changed meanwhile
    /// (unknown and deactivated accounts are not kept).
    func principal(_ userID: User.ID, load: (User.ID) async throws -> Principal?) async throws -> Principal? {
        let (generation, kept) = state.withLock { ($0.generation, $0.principals[userID]) }
        if let kept { return kept }
        let loaded = try await load(userID)
        if let loaded {
            state.withLock { state in
                guard state.generation == generation else { return }
                if state.principals.count >= Self.capacity { state.principals.removeAll() }
                state.principals[userID] = loaded
            }
        }
        return loaded
    }
}
