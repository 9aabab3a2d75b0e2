/// The hybrid logical clock of Kulkarni et al. as a pure value: no I/O, physical time is passed in.
///
/// `tick` stamps a local event; `receive` folds in a remote reading so that every later local
/// reading is greater than it. A remote reading far ahead of local physical time is accepted
/// (data is never dropped) but reported as skewed, so the node can count and surface it.
public struct HybridLogicalClock: Sendable {
    public private(set) var last: HLCTimestamp
    /// How far ahead of local physical time a remote reading may be before it counts as skew.
    public let maximumForwardSkewMilliseconds: UInt64

    public init(last: HLCTimestamp = .zero, maximumForwardSkewMilliseconds: UInt64 = 60_000) {
        self.last = last
        self.maximumForwardSkewMilliseconds = maximumForwardSkewMilliseconds
    }

    /// The reading for a local event (a write) at physical time `now` (milliseconds since 1970).
    public mutating func tick(now: UInt64) -> HLCTimestamp {
        if now > last.milliseconds {
            last = HLCTimestamp(milliseconds: now, counter: 0)
        } else {
            last = Self.successor(milliseconds: last.milliseconds, counter: UInt64(last.counter) + 1)
        }
        return last
    }

    /// Folds a remote reading into the clock at physical time `now`; returns whether it was skewed.
    @discardableResult
    public mutating func receive(_ remote: HLCTimestamp, now: UInt64) -> Bool {
        let skewed = remote.milliseconds > now + maximumForwardSkewMilliseconds
        let milliseconds = max(last.milliseconds, remote.milliseconds, now)
        let counter: UInt64
        switch (milliseconds == last.milliseconds, milliseconds == remote.milliseconds) {
        case (true, true): counter = UInt64(max(last.counter, remote.counter)) + 1
        case (true, false): counter = UInt64(last.counter) + 1
        case (false, true): counter = UInt64(remote.counter) + 1
        case (false, false): counter = 0
        }
        last = Self.successor(milliseconds: milliseconds, counter: counter)
        return skewed
    }

    /// A counter past 16 bits carries into the milliseconds, so readings stay strictly increasing.
    private static func successor(milliseconds: UInt64, counter: UInt64) -> HLCTimestamp {
        counter > HLCTimestamp.counterLimit
            ? HLCTimestamp(milliseconds: milliseconds + 1, counter: 0)
            : HLCTimestamp(milliseconds: milliseconds, counter: UInt16(counter))
    }
}
