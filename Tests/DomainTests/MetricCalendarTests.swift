import Foundation
import Testing
import Domain

@Suite struct MetricCalendarTests {
    let india = MetricCalendar(zone: TimeZone(identifier: "Asia/Kolkata")!)
    func instant(_ text: String) -> Int64 { InstantText.milliseconds(text)! }

    @Test func aDayIsTheZonesCalendarDay() {
        let day = india.day(containing: instant("2025-11-18T18:29:59Z"))
        #expect(day.date.description == "2025-11-18")
        #expect(day.span == TimeSpan(start: instant("2025-11-17T18:30:00Z"), end: instant("2025-11-18T18:30:00Z")))
        #expect(india.day(containing: instant("2025-11-18T18:30:00Z")).date.description == "2025-11-19")
        let days = india.days(endingWith: instant("2025-11-19T12:00:00Z"), count: 3)
        #expect(days.map(\.date.description) == ["2025-11-17", "2025-11-18", "2025-11-19"])
        #expect(zip(days, days.dropFirst()).allSatisfy { $0.span.end == $1.span.start }, "days tile time")
        #expect(india.days(from: CalendarDate("2025-12-30")!, through: CalendarDate("2026-01-02")!, limit: 366).map(\.date.description)
                == ["2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"])
    }

    @Test func hoursAreLocalWallClockHours() {
        let hours = india.hours(endingWith: instant("2025-11-19T12:10:00Z"), count: 3)
        #expect(hours.map { india.hourLabel($0.start) } == ["2025-11-19 15:00", "2025-11-19 16:00", "2025-11-19 17:00"])
        #expect(hours.last == TimeSpan(start: instant("2025-11-19T11:30:00Z"), end: instant("2025-11-19T12:30:00Z")))
    }

    @Test func aDaylightSavingDayHasTwentyThreeHours() {
        let newYork = MetricCalendar(zone: TimeZone(identifier: "America/New_York")!)
        let day = newYork.day(containing: instant("2025-03-09T12:00:00Z"))
        #expect(day.date.description == "2025-03-09" && day.span.length == 23 * MetricCalendar.hour)
        #expect(day.span.start == instant("2025-03-09T05:00:00Z"))
    }

    @Test func aNightRunsFromSixInTheEveningBefore() {
        let day = india.day(containing: instant("2025-11-19T06:00:00Z"))
        #expect(MetricCalendar.night(of: day) == TimeSpan(start: instant("2025-11-18T12:30:00Z"), end: instant("2025-11-19T12:30:00Z")))
    }
}

@Suite struct MetricAggregateTests {
    @Test func rollupsFallIntoTheirWindowsOnly() {
        let rollups = [0, 900_000, 3_600_000, 7_200_000].map { MetricRollup(start: Int64($0), total: 10, count: 2, minimum: 4, maximum: 6) }
        let windows = [TimeSpan(start: 0, end: 3_600_000), TimeSpan(start: 5_400_000, end: 7_200_000), TimeSpan(start: 7_200_000, end: 9_000_000)]
        let aggregates = MetricAggregate.per(windows, of: rollups)
        #expect(aggregates.map(\.total) == [20, 0, 10] && aggregates.map(\.count) == [4, 0, 2])
        #expect(aggregates[0].average == 5 && aggregates[0].minimum == 4 && aggregates[0].maximum == 6)
    }

    @Test func changeIsWrittenAsTheContractWritesIt() {
        #expect(MetricAggregate.change(from: 100, to: 22) == "-78%")
        #expect(MetricAggregate.change(from: 60, to: 80) == "+33%")
        #expect(MetricAggregate.change(from: 10, to: 10) == "0%")
        #expect(MetricAggregate.change(from: 0, to: 10) == nil)
    }

    @Test func overlappingSleepFromTwoDevicesCountsOnce() {
        let hour: Int64 = 3_600_000
        var spans: [SleepMeasure: [TimeSpan]] = [:]
        func add(_ type: MetricType, _ start: Int64, _ end: Int64) {
            for measure in SleepMeasure.measures(of: type) {
                let (absorbed, merged) = TimeSpan.union(TimeSpan(start: start * hour / 4, end: end * hour / 4), absorbing: spans[measure] ?? [])
                spans[measure] = (spans[measure] ?? []).filter { !absorbed.contains($0) } + [merged]
            }
        }
        add(.sleepInBed, 0, 20)  // the phone: 5 h in bed
        add(.sleepCore, 2, 10)  // the watch: 2 h core…
        add(.sleepCore, 4, 8)  // …and the phone's overlapping core
        add(.sleepDeep, 10, 14)
        add(.sleepAwake, 14, 15)
        add(.sleepREM, 15, 19)
        let night = SleepSummary(spans: spans, within: TimeSpan(start: -hour, end: 10 * hour))
        #expect(night.timeInBed == 5 && night.core == 2 && night.deep == 1 && night.rem == 1 && night.awake == 0.25)
        #expect(night.timeAsleep == 4, "core + deep + REM, the awake quarter-hour excluded")
    }
}

@Suite struct InstantFormattingTests {
    @Test func formatsWhatItParses() {
        var generator = SeededGenerator(state: 77)
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: 0...4_102_444_800_000, using: &generator)
            let text = InstantText.string(milliseconds)
            #expect(InstantText.milliseconds(text) == milliseconds, "\(text)")
        }
        #expect(InstantText.string(1_762_930_376_000) == "2025-11-12T06:52:56Z")
        #expect(InstantText.string(1_762_930_376_005) == "2025-11-12T06:52:56.005Z")
    }
}
