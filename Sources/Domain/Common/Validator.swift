import Foundation

/// Collects field issues while an input is checked, so one response can list all of them.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        issues.append(FieldIssue(field: field, message: message))
    }

    /// A required, trimmed, non-empty string of at most `maxLength` characters.
    public mutating func text(_ field: String, _ value: String?, maxLength: Int = 200) -> String {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            fail(field, "is required")
            return ""
        }
        if trimmed.count > maxLength { fail(field, "must be at most \(maxLength) characters") }
        return trimmed
    }

    /// A required secret (a password to check) taken exactly as sent, never trimmed.
    public mutating func secret(_ field: String, _ value: String?, maxLength: Int) -> String {
        guard let value, !value.isEmpty else {
            fail(field, "is required")
            return ""
        }
        if value.count > maxLength { fail(field, "must be at most \(maxLength) characters") }
        return value
    }

    /// An optional string: trimmed, empty becomes `nil`.
    public mutating func optionalText(_ field: String, _ value: String?, maxLength: Int = 200) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            return nil
        }
        if trimmed.count > maxLength { fail(field, "must be at most \(maxLength) characters") }
        return trimmed
    }

    /// An optional count that must lie in `range`.
    public mutating func count(_ field: String, _ value: Int?, in range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        if !range.contains(value) { fail(field, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    /// A required value of a closed set, spelled exactly as the API contract spells it.
    public mutating func choice<E: RawRepresentable & CaseIterable>(
        _ field: String, _ value: String?, as type: E.Type
    ) -> E? where E.RawValue == String {
        guard let value else {
            fail(field, "is required")
            return nil
        }
        guard let parsed = E(rawValue: value) else {
            fail(field, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return parsed
    }

    /// Throws `DomainError.invalid` with every issue found, or does nothing.
    public func check() throws(DomainError) {
        if !issues.isEmpty { throw .invalid(issues) }
    }
}
