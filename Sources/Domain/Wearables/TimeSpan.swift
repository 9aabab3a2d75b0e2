/// A half-open interval of time, `[start, end)`, in milliseconds since the epoch.
public struct TimeSpan: Hashable, Sendable {
    public let start: Int64
    public let end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = max(start, end)
    }

    public var length: Int64 { end - start }

    /// Whether the two share a moment or touch end to start (so that their union is one span).
    public func meets(_ other: TimeSpan) -> Bool {
        start <= other.end && other.start <= end
    }

    /// Milliseconds of `spans` (disjoint) that fall inside this span.
    public func covered(by spans: some Sequence<TimeSpan>) -> Int64 {
        spans.reduce(0) { $0 + max(0, min(end, $1.end) - max(start, $1.start)) }
    }

    /// Adds `span` to a set of disjoint spans: which of `neighbours` (the set's spans near it) it
    /// absorbs, and the one span that replaces them. Keeping the set disjoint means overlapping
    /// samples — a phone and a watch recording the same night — are never counted twice.
    public static func union(_ span: TimeSpan, absorbing neighbours: some Sequence<TimeSpan>) -> (absorbed: [TimeSpan], merged: TimeSpan) {
        var start = span.start, end = span.end
        var absorbed: [TimeSpan] = []
        for neighbour in neighbours where neighbour.meets(span) {
            absorbed.append(neighbour)
            start = min(start, neighbour.start)
            end = max(end, neighbour.end)
        }
        return (absorbed, TimeSpan(start: start, end: end))
    }
}

/// The measures of sleep the node keeps, each a set of disjoint spans per patient.
public enum SleepMeasure: String, Sendable, CaseIterable {
    /// Any sleep sample at all: in bed, awake in bed, or asleep.
    case inBed = "in_bed"
    /// Asleep in any stage (core, deep, REM or unspecified).
    case asleep
    case awake, core, deep, rem

    /// The measures a sample of `type` counts towards; none for a type that is not sleep.
    public static func measures(of type: MetricType) -> [SleepMeasure] {
        switch type {
        case .sleepInBed: [.inBed]
        case .sleepAwake: [.inBed, .awake]
        case .sleepAsleep: [.inBed, .asleep]
        case .sleepCore: [.inBed, .asleep, .core]
        case .sleepDeep: [.inBed, .asleep, .deep]
        case .sleepREM: [.inBed, .asleep, .rem]
        default: []
        }
    }
}
