import Synchronization

/// Group commit for audit entries written on their own (reads): entries that arrive while one
/// transaction is being written wait and share the next, so a burst of reads costs a few commits
/// instead of one each — and every caller still returns only once its entry is committed.
///
/// A commit waits for the disk (fsync) at most once per `durableInterval`; the others in between
/// commit without waiting (`ReplicatedStore.write(durable:)`): a disk that stalls for a moment
/// under load does not stall every read, and a power failure can lose at most the read entries of
/// about that interval (a crash of the process loses none).
///
/// One caller at a time leads: it writes everything pending, releases the callers whose entries
/// were in that batch, and hands the lead to the first caller still waiting (so no request leads
/// forever under load).
final class AuditCommitQueue: Sendable {
    /// Writes a batch of entries in one transaction, waiting for the disk or not (`durable`).
    typealias Write = @Sendable (_ events: [AuditEvent], _ durable: Bool) async throws -> Void

    /// How often a commit waits for the disk, at most.
    static let durableInterval = Duration.seconds(1)

    private enum Outcome {
        case committed, lead, retry
    }

    private struct Waiting {
        let event: AuditEvent
        /// `nil` for the leader's own entry.
        var continuation: CheckedContinuation<Outcome, any Error>?
    }

    private struct State {
        var pending: [Waiting] = []
        var writing = false
        var lastDurable: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let write: Write
    private let now: @Sendable () -> ContinuousClock.Instant

    init(now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }, write: @escaping Write) {
        self.now = now
        self.write = write
    }

    /// Returns once `event` is committed (with other callers' entries, maybe).
    func record(_ event: AuditEvent) async throws {
        let leads = state.withLock { state in
            guard !state.writing else { return false }
            state.writing = true
            state.pending.append(Waiting(event: event, continuation: nil))
            return true
        }
        if leads { return try await lead() }
        let outcome = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, any Error>) in
            let joined = state.withLock { state in
                guard state.writing else { return false }
                state.pending.append(Waiting(event: event, continuation: continuation))
                return true
            }
            if !joined { continuation.resume(returning: .retry) }  // the last writer finished meanwhile
        }
        switch outcome {
        case .committed: return
        case .lead: try await lead()
        case .retry: try await record(event)
        }
    }

    /// Writes what is pending (the leader's own entry among it), releases its callers, and hands
    /// the lead on or stops.
    private func lead() async throws {
        let batch = state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
        let instant = now()
        let durable = state.withLock { state in state.lastDurable.map { instant - $0 >= Self.durableInterval } ?? true }
        var failure: (any Error)?
        do {
            try await write(batch.map(\.event), durable)
            if durable { state.withLock { $0.lastDurable = instant } }
        } catch {
            failure = error
        }
        for case let continuation? in batch.map(\.continuation) {
            if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: .committed) }
        }
        let next = state.withLock { state -> CheckedContinuation<Outcome, any Error>? in
            guard !state.pending.isEmpty else {
                state.writing = false
                return nil
            }
            defer { state.pending[0].continuation = nil }
            return state.pending[0].continuation
        }
        next?.resume(returning: .lead)
        if let failure { throw failure }
    }
}
