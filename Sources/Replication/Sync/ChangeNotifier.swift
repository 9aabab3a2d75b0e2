import Synchronization

/// Lets readers of the change feed wait until it grows past a version (long polling), so peers
/// hear of a local write within milliseconds instead of at their next poll.
public final class ChangeNotifier: Sendable {
    private struct State {
        var version: Int64
        var closed = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelledBeforeRegistration: Set<Int> = []
    }

    private let state: Mutex<State>

    init(version: Int64) { state = Mutex(State(version: version)) }

    /// The latest committed feed position.
    public var version: Int64 { state.withLock { $0.version } }

    /// Records that the feed reached `version` and wakes every waiter.
    func advance(to version: Int64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard version > state.version else { return [] }
            state.version = version
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Wakes every waiter and makes later waits return at once (graceful shutdown).
    public func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once the feed is past `version`, after `timeout`, on cancellation, or on close.
    public func waitForChanges(after version: Int64, timeout: Duration) async {
        if state.withLock({ $0.closed || $0.version > version }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.suspend(after: version) }
            await group.next()
            group.cancelAll()
        }
    }

    private func suspend(after version: Int64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.closed || state.version > version || state.cancelledBeforeRegistration.remove(id) != nil {
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                guard let continuation = state.waiters.removeValue(forKey: id) else {
                    state.cancelledBeforeRegistration.insert(id)
                    return nil as CheckedContinuation<Void, Never>?
                }
                return continuation
            }
            continuation?.resume()
        }
    }
}
