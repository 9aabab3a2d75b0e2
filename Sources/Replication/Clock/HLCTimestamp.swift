/// A hybrid logical clock reading: 48 bits of physical milliseconds since 1970 and a 16-bit counter.
///
/// Readings order first by milliseconds, then by counter; ties between nodes are broken by node id
/// wherever readings are compared (see `FieldStamp`).
public struct HLCTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let zero = HLCTimestamp(rawValue: 0)
    public static let counterLimit = UInt64(UInt16.max)

    /// `milliseconds << 16 | counter`; fits a signed 64-bit SQLite integer until the year 10889.
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(milliseconds: UInt64, counter: UInt16) {
        rawValue = (milliseconds << 16) | UInt64(counter)
    }

    public var milliseconds: UInt64 { rawValue >> 16 }
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(milliseconds).\(counter)" }
}
