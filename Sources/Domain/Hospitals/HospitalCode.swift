/// A hospital's public code: `HC-` followed by six uppercase letters or digits (for example `HC-B2631D`).
public struct HospitalCode: Hashable, Sendable, CustomStringConvertible {
    public static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    public let value: String

    /// Accepts a well-formed code in any case and normalises it to uppercase.
    public init?(_ raw: String) {
        let upper = raw.uppercased()
        guard upper.count == 9, upper.hasPrefix("HC-"),
              upper.dropFirst(3).allSatisfy({ Self.alphabet.contains($0) })
        else { return nil }
        value = upper
    }

    /// A fresh random code drawn from `generator` (inject a seeded one in tests).
    public static func random(using generator: inout some RandomNumberGenerator) -> HospitalCode {
        let suffix = (0..<6).map { _ in alphabet.randomElement(using: &generator)! }
        return HospitalCode("HC-" + String(suffix))!
    }

    public var description: String { value }
}
