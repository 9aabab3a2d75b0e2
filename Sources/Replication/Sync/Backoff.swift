/// Exponential backoff with full jitter: after `failures` consecutive failures, wait a random
/// duration in `[0, min(maximum, base * 2^(failures-1))]`, never less than `minimum`.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var maximum: Duration
    public var minimum: Duration

    public init(base: Duration = .milliseconds(500), maximum: Duration = .seconds(10), minimum: Duration = .milliseconds(100)) {
        self.base = base
        self.maximum = maximum
        self.minimum = minimum
    }

    /// The delay before the next attempt; `fraction` is a uniform random number in [0, 1].
    public func delay(afterFailures failures: Int, fraction: Double) -> Duration {
        guard failures > 0 else { return .zero }
        let exponent = min(failures - 1, 30)
        let ceiling = min(maximum, base * (1 << exponent))
        let jittered = ceiling * min(max(fraction, 0), 1)
        return max(minimum, jittered)
    }
}
