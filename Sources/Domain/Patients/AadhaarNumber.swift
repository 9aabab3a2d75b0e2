/// A 12-digit Aadhaar number that passed validation: digits only (spaces and hyphens as people
/// write them are dropped), not starting with 0 or 1 (UIDAI never issues those), and a valid
/// Verhoeff check digit.
///
/// It is a secret: never logged, never returned; its description shows only the last four
/// digits, as the masked Aadhaar does.
public struct AadhaarNumber: Sendable, Equatable, CustomStringConvertible {
    /// The 12 digits.
    public let digits: String

    public init?(_ raw: String) {
        let compact = raw.filter { $0 != " " && $0 != "-" }
        guard compact.count == 12, compact.allSatisfy({ $0.isASCII && $0.isNumber }),
              let first = compact.first, first != "0", first != "1",
              Verhoeff.isValid(compact.compactMap(\.wholeNumberValue))
        else { return nil }
        digits = compact
    }

    /// Masked (`XXXX-XXXX-1234`), so a stray interpolation never leaks the number.
    public var description: String { "XXXX-XXXX-\(digits.suffix(4))" }
}

extension Validator {
    /// A required, valid Aadhaar number. The message never repeats the input.
    public mutating func aadhaar(_ field: String, _ value: String?) -> AadhaarNumber? {
        guard let value, !value.isEmpty else {
            fail(field, "is required")
            return nil
        }
        guard let number = AadhaarNumber(value) else {
            fail(field, "must be a valid 12-digit Aadhaar number")
            return nil
        }
        return number
    }
}
