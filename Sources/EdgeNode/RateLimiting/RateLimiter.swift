import Foundation
import Replication
import Synchronization

/// Token buckets per key (an account, a client address, a user) under one limit, in memory.
/// Each node limits what reaches it; buckets whose clients went quiet are dropped, so memory stays
/// bounded by the clients active within one refill period.
final class RateLimiter: Sendable {
    let limit: RateLimit
    private let clock: any PhysicalClock
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private static let pruneAbove = 10_000

    init(_ limit: RateLimit, clock: any PhysicalClock) {
        self.limit = limit
        self.clock = clock
    }

    /// Takes one request for `key`: `nil` if allowed, else the seconds to wait.
    func take(_ key: String) -> TimeInterval? {
        let now = clock.now()
        return buckets.withLock { buckets in
            if buckets.count > Self.pruneAbove {
                buckets = buckets.filter { !$0.value.isFull(limit, now: now) }
            }
            var bucket = buckets[key] ?? TokenBucket(limit: limit, now: now)
            let wait = bucket.take(limit, now: now)
            buckets[key] = bucket
            return wait
        }
    }
}
