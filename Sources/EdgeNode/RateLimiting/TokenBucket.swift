import Foundation

/// A rate: `requests` per `per` seconds.
struct RateLimit: Sendable, Equatable {
    let requests: Int
    let per: TimeInterval
}

/// One client's token bucket: it holds up to `limit.requests` tokens, refills at the limit's rate,
/// and each counted request takes one. Pure; the caller supplies the time.
struct TokenBucket: Sendable, Equatable {
    private(set) var tokens: Double
    private(set) var updatedAt: Date

    /// A full bucket.
    init(limit: RateLimit, now: Date) {
        tokens = Double(limit.requests)
        updatedAt = now
    }

    /// `nil` when a token is available at `now`, otherwise the seconds until one is, to the
    /// millisecond (for `Retry-After`).
    private func wait(_ limit: RateLimit, now: Date) -> TimeInterval? {
        let available = refilled(limit, now: now)
        guard available < 1 else { return nil }
        return ((1 - available) * limit.per / Double(limit.requests) * 1000).rounded() / 1000
    }

    /// Takes a token if there is one: `nil` when the request may go ahead, otherwise `wait`'s answer.
    mutating func take(_ limit: RateLimit, now: Date) -> TimeInterval? {
        if let wait = wait(limit, now: now) { return wait }
        tokens = refilled(limit, now: now) - 1
        updatedAt = max(updatedAt, now)
        return nil
    }

    /// Gives back a token taken for a request that turned out not to count.
    mutating func refund(_ limit: RateLimit, now: Date) {
        tokens = min(Double(limit.requests), refilled(limit, now: now) + 1)
        updatedAt = max(updatedAt, now)
    }

    /// Whether the bucket has refilled completely by `now` (it can be forgotten).
    func isFull(_ limit: RateLimit, now: Date) -> Bool {
        refilled(limit, now: now) >= Double(limit.requests)
    }

    private func refilled(_ limit: RateLimit, now: Date) -> Double {
        min(Double(limit.requests), tokens + max(0, now.timeIntervalSince(updatedAt)) * Double(limit.requests) / limit.per)
    }
}
