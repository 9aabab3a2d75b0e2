import Foundation

/// The API's timestamps: ISO-8601 in UTC with `Z`; storage keeps milliseconds.
enum Timestamps {
    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSeconds = Date.ISO8601FormatStyle()

    static func storage(_ date: Date) -> String { withMilliseconds.format(date) }

    static func api(_ date: Date) -> String { wholeSeconds.format(date) }

    static func parse(_ text: String) -> Date? {
        (try? withMilliseconds.parse(text)) ?? (try? wholeSeconds.parse(text))
    }
}
