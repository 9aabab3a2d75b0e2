import Foundation

/// The source of physical time for clocks and timestamps; inject a fixed one in tests.
public protocol PhysicalClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMilliseconds() -> UInt64
}

extension PhysicalClock {
    public func now() -> Date { Date(timeIntervalSince1970: Double(nowMilliseconds()) / 1000) }
}

/// The machine's wall clock.
public struct SystemClock: PhysicalClock {
    public init() {}
    public func nowMilliseconds() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
}
