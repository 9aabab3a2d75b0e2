import Foundation
import Replication
import Synchronization

/// Token buckets per key (an account, a client address, a user) under one limit, in memory.
/// Each node limits what reaches it. Once per limit period the buckets that have refilled are
/// dropped, so memory holds only the clients active in the last period or two.
final class RateLimiter: Sendable {
    let limit: RateLimit
    private let clock: any PhysicalClock
    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var prunedAt: Date
    }
    private let state: Mutex<State>

    init(_ limit: RateLimit, clock: any PhysicalClock) {
        self.limit = limit
        self.clock = clock
        state = Mutex(State(prunedAt: clock.now()))
    }

    /// Counts one request for `key`: `nil` if allowed, else the seconds to wait.
    func take(_ key: String) -> TimeInterval? {
        withBucket(key) { $0.take(limit, now: $1) }
    }

    /// Gives back the token `take` took for `key` (the request turned out not to count).
    func refund(_ key: String) {
        _ = withBucket(key) { bucket, now in
            bucket.refund(limit, now: now)
            return nil
        }
    }

    private func withBucket(_ key: String, _ body: (inout TokenBucket, Date) -> TimeInterval?) -> TimeInterval? {
        let now = clock.now()
        return state.withLock { state in
            if now.timeIntervalSince(state.prunedAt) >= limit.per {
                state.buckets = state.buckets.filter { !$0.value.isFull(limit, now: now) }
                state.prunedAt = now
            }
            var bucket = state.buckets[key] ?? TokenBucket(limit: limit, now: now)
            let wait = body(&bucket, now)
            state.buckets[key] = bucket
            return wait
        }
    }

    /// How many clients are remembered (for tests of the pruning).
    var trackedKeys: Int { state.withLock { $0.buckets.count } }
}
