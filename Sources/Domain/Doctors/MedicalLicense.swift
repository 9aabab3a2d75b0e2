import Foundation

/// A medical council registration number (`MCI-12345-2015`), normalised to uppercase with inner
/// spaces removed so one licence is one value however it was typed.
public struct MedicalLicense: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Accepts 3–50 letters, digits, `-`, `/` and `.`; `nil` otherwise.
    public init?(_ raw: String) {
        let compact = raw.filter { !$0.isWhitespace }.uppercased()
        guard (3...50).contains(compact.count),
              compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-/.".contains($0)) })
        else { return nil }
        value = compact
    }

    public var description: String { value }
}

extension Validator {
    /// A medical licence number; required unless `optional`.
    public mutating func medicalLicense(_ field: String, _ value: String?, optional: Bool = false) -> MedicalLicense? {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard let license = MedicalLicense(value) else {
            fail(field, "must be 3 to 50 letters, digits, '-', '/' or '.'")
            return nil
        }
        return license
    }
}
