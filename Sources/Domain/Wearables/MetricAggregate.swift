/// One quarter-hour's rollup of a metric: the sum, count, minimum and maximum of its samples.
public struct MetricRollup: Sendable, Equatable {
    public let start: Int64
    public let total: Double
    public let count: Int
    public let minimum: Double
    public let maximum: Double

    public init(start: Int64, total: Double, count: Int, minimum: Double, maximum: Double) {
        self.start = start
        self.total = total
        self.count = count
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// A metric over a period, combined from rollups.
public struct MetricAggregate: Sendable, Equatable {
    public private(set) var total = 0.0
    public private(set) var count = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity

    public init() {}

    public var average: Double { count == 0 ? 0 : total / Double(count) }

    public mutating func add(_ rollup: MetricRollup) {
        total += rollup.total
        count += rollup.count
        minimum = min(minimum, rollup.minimum)
        maximum = max(maximum, rollup.maximum)
    }

    /// Rollups (sorted by start) combined per window (sorted, disjoint): one aggregate per window,
    /// empty where no rollup falls. One pass over both.
    public static func per(_ windows: [TimeSpan], of rollups: [MetricRollup]) -> [MetricAggregate] {
        var result = Array(repeating: MetricAggregate(), count: windows.count)
        var window = 0
        for rollup in rollups {
            while window < windows.count, windows[window].end <= rollup.start { window += 1 }
            guard window < windows.count else { break }
            if windows[window].start <= rollup.start { result[window].add(rollup) }
        }
        return result
    }

    /// The change from `previous` to `current` as the contract writes it ("-78%", "+5%");
    /// `nil` when there is nothing to compare with.
    public static func change(from previous: Double, to current: Double) -> String? {
        guard previous > 0 else { return nil }
        let percent = Int(((current - previous) / previous * 100).rounded())
        return percent > 0 ? "+\(percent)%" : "\(percent)%"
    }
}

/// One night's sleep, in hours, from the disjoint spans of each measure.
public struct SleepSummary: Sendable, Equatable {
    public let timeInBed: Double
    public let timeAsleep: Double
    public let awake: Double
    public let rem: Double
    public let core: Double
    public let deep: Double

    /// The hours of each measure's spans inside `night`. Time asleep counts any stage, so a
    /// sample in an unspecified stage adds to it without a stage of its own.
    public init(spans: [SleepMeasure: [TimeSpan]], within night: TimeSpan) {
        func hours(_ measure: SleepMeasure) -> Double {
            (Double(night.covered(by: spans[measure] ?? [])) / 36_000).rounded() / 100
        }
        timeInBed = hours(.inBed)
        timeAsleep = hours(.asleep)
        awake = hours(.awake)
        rem = hours(.rem)
        core = hours(.core)
        deep = hours(.deep)
    }
}
