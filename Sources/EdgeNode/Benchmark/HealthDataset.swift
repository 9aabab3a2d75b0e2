import Domain

/// A seeded, realistic stream of one patient's Apple Watch and iPhone samples, day after day:
/// a night's sleep in 90-minute cycles of core, deep and REM with brief awakenings (the watch)
/// under one in-bed interval (the phone); heart rate through the day, lower asleep and high in a
/// daily workout; steps, distance and active energy in short intervals while awake; flights,
/// resting heart rate, HRV, SpO2 and respiratory rate at their usual rates. The same seed gives
/// the same samples; it drives the tests and the benchmarks (nothing is committed as a file).
struct HealthDataset {
    static let minute: Int64 = 60_000
    static let watch = "Apple Watch|Apple Inc.|Watch|Watch6,1"
    static let phone = "iPhone|Apple Inc.|iPhone|iPhone15,2"

    let patient: Patient.ID
    /// Midnight (UTC) of the first day, in milliseconds.
    let start: Int64
    let days: Int
    /// About how many samples a day (≈1,000 is a month of the contract's 30,186; ≈2,750 a year of 1,000,000).
    let samplesPerDay: Int
    let seed: UInt64

    /// Calls `body` with each day's samples, in time order.
    func forEachDay(_ body: ([HealthSample]) throws -> Void) rethrows {
        var random = SplitMix64(seed: seed)
        for day in 0..<days {
            try body(samples(ofDay: day, random: &random))
        }
    }

    /// Every sample, day after day (for small datasets).
    var all: [HealthSample] {
        var samples: [HealthSample] = []
        forEachDay { samples += $0 }
        return samples
    }

    private func samples(ofDay day: Int, random: inout SplitMix64) -> [HealthSample] {
        let midnight = start + Int64(day) * MetricCalendar.day
        var samples: [HealthSample] = []
        func add(_ type: MetricType, _ at: Int64, _ end: Int64? = nil, _ value: Double, device: String = Self.watch) {
            samples.append(HealthSample(patientID: patient, device: device, type: type, start: at, end: end ?? at, value: value, source: "com.apple.health"))
        }
        // The night ending this morning: to bed 22:00–00:30 the evening before, 6–8.5 h asleep.
        let bed = midnight - 120 * Self.minute + Int64(random.next(below: 150)) * Self.minute
        let wake = bed + Int64(360 + random.next(below: 150)) * Self.minute
        add(.sleepInBed, bed - 10 * Self.minute, wake + 5 * Self.minute, Double(wake - bed + 15 * Self.minute) / 3_600_000, device: Self.phone)
        var cursor = bed + Int64(5 + random.next(below: 15)) * Self.minute
        var cycle = 0
        while cursor < wake {
            let stages: [(MetricType, Int)] = [(.sleepCore, 35 + random.next(below: 20)), (cycle < 3 ? .sleepDeep : .sleepCore, 10 + random.next(below: 20)),
                                               (.sleepREM, 10 + cycle * 5 + random.next(below: 10)), (.sleepAwake, random.next(below: 4) == 0 ? 3 + random.next(below: 6) : 0)]
            for (stage, minutes) in stages where minutes > 0 && cursor < wake {
                let end = min(wake, cursor + Int64(minutes) * Self.minute)
                add(stage, cursor, end, Double(end - cursor) / 3_600_000)
                cursor = end
            }
            cycle += 1
        }
        for _ in 0..<5 { add(.bloodOxygen, bed + Int64(random.next(below: Int(max(1, (wake - bed) / Self.minute)))) * Self.minute, nil, Double(94 + random.next(below: 6))) }
        for index in 0..<8 { add(.respiratoryRate, bed + Int64(index) * (wake - bed) / 8, nil, Double(12 + random.next(below: 6))) }
        add(.restingHeartRate, wake + 60 * Self.minute, nil, Double(55 + random.next(below: 10)))
        for index in 0..<3 { add(.heartRateVariability, wake + Int64(index * 240) * Self.minute, nil, Double(30 + random.next(below: 50))) }

        // The day: awake from `wake` until 21:30–22:00 (the next bedtime is later), a workout of 30–60 minutes.
        let awake = (wake - midnight) / Self.minute ..< (21 * 60 + 30 + Int64(random.next(below: 30)))
        let workoutStart = Int64(17 * 60 + random.next(below: 120)), workoutEnd = workoutStart + Int64(30 + random.next(below: 30))
        // Of the day's budget (what the night used aside): ≈ 40 % heart rate, ≈ 20 % each steps,
        // distance and active energy, spread evenly over the waking minutes.
        let awakeMinutes = Int(max(1, awake.count))
        let budget = max(10, samplesPerDay - samples.count - Int((wake - bed) / (5 * Self.minute)) - 5)
        let heartReadings = min(awakeMinutes, budget * 2 / 5), activityIntervals = min(awakeMinutes, budget / 5)
        for index in 0..<heartReadings {
            let minute = awake.lowerBound + Int64(index * awakeMinutes / heartReadings)
            let working = (workoutStart..<workoutEnd).contains(minute)
            add(.heartRate, midnight + minute * Self.minute, nil, Double(working ? 120 + random.next(below: 45) : 62 + random.next(below: 30)))
        }
        for index in 0..<activityIntervals {
            let first = awake.lowerBound + Int64(index * awakeMinutes / activityIntervals)
            let next = awake.lowerBound + Int64((index + 1) * awakeMinutes / activityIntervals)
            let minutes = Int(next - first), at = midnight + first * Self.minute, end = midnight + next * Self.minute
            let steps = Double((workoutStart..<workoutEnd).contains(first) ? 120 * minutes : random.next(below: 60 * minutes))
            add(.steps, at, end, steps)
            add(.distance, at, end, (steps * 0.00075 * 1000).rounded() / 1000)
            add(.calories, at, end, (steps * 0.04 + Double(random.next(below: 3 * minutes))).rounded())
        }
        for _ in 0..<random.next(below: 6) {
            add(.flightsClimbed, midnight + (awake.lowerBound + Int64(random.next(below: awakeMinutes))) * Self.minute, nil, Double(1 + random.next(below: 3)))
        }
        // Asleep heart rate, every 5 minutes.
        var asleep = bed
        while asleep < wake {
            add(.heartRate, asleep, nil, Double(50 + random.next(below: 12)))
            asleep += 5 * Self.minute
        }
        // One sample per natural key (two random readings may fall on one minute).
        var seen = Set<String>()
        return samples.filter { seen.insert("\($0.type.rawValue)|\($0.start)|\($0.device)").inserted }
            .sorted { ($0.start, $0.type.rawValue) < ($1.start, $1.type.rawValue) }
    }
}

/// A small, fast, seeded generator (SplitMix64), so datasets are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`.
    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(max(1, bound)))
    }
}
