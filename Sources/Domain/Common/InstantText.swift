/// Parses the instants clients and exports write, fast (ingest reads hundreds of thousands a
/// second): `2025-11-12T06:52:56Z`, with fractional seconds, with an offset `+05:30` or `+0530`,
/// and Apple Health's export form `2025-11-12 06:52:56 +0530`. An instant without a zone is
/// refused: it names no moment.
public enum InstantText {
    /// Milliseconds since 1970-01-01T00:00:00Z, or `nil` when the text is not such an instant.
    public static func milliseconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ allowed: UInt8...) -> Bool {
            guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              expect(84, 116, 32), let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2),
              (1...12).contains(month), (1...CalendarDate.days(inMonth: month, of: year)).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds = 0
        if index < bytes.count, bytes[index] == 46 {  // "."
            index += 1
            var scale = 100
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                milliseconds += Int(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        if index < bytes.count, bytes[index] == 32 { index += 1 }  // Apple's "… +0530"
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case 90, 122:  // "Z"
            index += 1
        case 43, 45:  // "+" / "-"
            let sign = bytes[index] == 45 ? -1 : 1
            index += 1
            guard let hours = digits(2) else { return nil }
            if index < bytes.count, bytes[index] == 58 { index += 1 }
            guard let minutes = digits(2), hours < 24, minutes < 60 else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1000 + Int64(milliseconds)
    }

    /// `2025-11-12T06:52:56Z` (or `…56.250Z` with milliseconds) for milliseconds since the epoch.
    public static func string(_ milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Int(milliseconds - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let date = MetricCalendar.date(daysSinceEpoch: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        guard fraction > 0 else { return "\(date)T\(time)Z" }
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(date)T\(time).\(millis)Z"
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
