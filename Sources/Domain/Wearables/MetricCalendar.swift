import Foundation

/// Calendar days and hours of a time zone as spans of instants — what "today", "the last 30
/// days" and "this hour" mean for a patient. Offsets come from the zone at each instant, so zones
/// with and without daylight saving both work; every offset in use is a multiple of 15 minutes,
/// so local days and hours are whole numbers of the rollups' quarter-hours.
public struct MetricCalendar: Sendable {
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000

    public let zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// A local calendar day and the instants it spans.
    public struct Day: Sendable, Equatable {
        public let date: CalendarDate
        public let span: TimeSpan
    }

    /// The local day containing `instant`.
    public func day(containing instant: Int64) -> Day {
        let local = instant + offset(at: instant)
        let localMidnight = local - floorModulo(local, Self.day)
        let date = Self.date(daysSinceEpoch: floorDivide(localMidnight, Self.day))
        let start = utc(ofLocal: localMidnight)
        let end = utc(ofLocal: localMidnight + Self.day)
        return Day(date: date, span: TimeSpan(start: start, end: end))
    }

    /// The `count` days up to and including the one containing `instant`, oldest first.
    public func days(endingWith instant: Int64, count: Int) -> [Day] {
        var days = [day(containing: instant)]
        while days.count < max(1, count) { days.insert(day(containing: days[0].span.start - 1), at: 0) }
        return days
    }

    /// The local days from `first` through `last`, oldest first (at most `limit`).
    public func days(from first: CalendarDate, through last: CalendarDate, limit: Int) -> [Day] {
        let start = InstantText.daysFromCivil(year: first.year, month: first.month, day: first.day)
        let end = InstantText.daysFromCivil(year: last.year, month: last.month, day: last.day)
        guard end >= start else { return [] }
        return (start...min(end, start + limit - 1)).map { day(containing: utc(ofLocal: Int64($0) * Self.day + Self.hour * 12)) }
    }

    /// The hours up to and including the one containing `instant`, `count` of them, oldest first.
    public func hours(endingWith instant: Int64, count: Int) -> [TimeSpan] {
        let local = instant + offset(at: instant)
        let lastStart = utc(ofLocal: local - floorModulo(local, Self.hour))
        return (0..<Int64(count)).reversed().map { TimeSpan(start: lastStart - $0 * Self.hour, end: lastStart - ($0 - 1) * Self.hour) }
    }

    /// An hour's local label, `YYYY-MM-DD HH:00` (the contract's `*_hourly` dates).
    public func hourLabel(_ start: Int64) -> String {
        let local = start + offset(at: start)
        let date = Self.date(daysSinceEpoch: floorDivide(local, Self.day))
        let hour = floorModulo(local, Self.day) / Self.hour
        return "\(date) \(hour < 10 ? "0" : "")\(hour):00"
    }

    /// The instants of the night before a day — from 18:00 the evening before to 18:00 that day —
    /// whose sleep counts for that day.
    public static func night(of day: Day) -> TimeSpan {
        TimeSpan(start: day.span.start - 6 * hour, end: day.span.end - 6 * hour)
    }

    private func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant) / 1000))) * 1000
    }

    /// The instant a local wall-clock time names (the offset in force then).
    private func utc(ofLocal local: Int64) -> Int64 {
        let guess = local - offset(at: local)
        return local - offset(at: guess)
    }

    static func date(daysSinceEpoch days: Int64) -> CalendarDate {
        // Howard Hinnant's civil_from_days.
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: year, month: month, day: day)
    }

    private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        (value - floorModulo(value, divisor)) / divisor
    }

    private func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        ((value % divisor) + divisor) % divisor
    }
}
