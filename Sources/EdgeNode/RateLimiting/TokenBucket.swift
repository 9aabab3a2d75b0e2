import Foundation

/// A rate: `requests` per `per` seconds.
struct RateLimit: Sendable, Equatable {
    let requests: Int
    let per: TimeInterval
}

/// One client's token bucket: it holds up to `limit.requests` tokens, refills at the limit's rate,
/// and each request takes one. Pure; the caller supplies the time.
struct TokenBucket: Sendable, Equatable {
    private(set) var tokens: Double
    private(set) var updatedAt: Date

    /// A full bucket.
    init(limit: RateLimit, now: Date) {
        tokens = Double(limit.requests)
        updatedAt = now
    }

    /// Takes a token if there is one: `nil` when the request may go ahead, otherwise the seconds
    /// until a token is back, to the millisecond (for `Retry-After`).
    mutating func take(_ limit: RateLimit, now: Date) -> TimeInterval? {
        refill(limit, now: now)
        guard tokens >= 1 else { return ((1 - tokens) * limit.per / Double(limit.requests) * 1000).rounded() / 1000 }
        tokens -= 1
        return nil
    }

    /// Whether the bucket has refilled completely by `now` (it can be forgotten).
    func isFull(_ limit: RateLimit, now: Date) -> Bool {
        tokens + now.timeIntervalSince(updatedAt) * Double(limit.requests) / limit.per >= Double(limit.requests)
    }

    private mutating func refill(_ limit: RateLimit, now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(Double(limit.requests), tokens + elapsed * Double(limit.requests) / limit.per)
        updatedAt = now
    }
}
