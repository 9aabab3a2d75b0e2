/// An email address, normalised to lowercase so that one mailbox is one account.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    /// Accepts `local@domain.tld` shapes (no spaces, one `@`, a dot in the domain); `nil` otherwise.
    public init?(_ raw: String) {
        let candidate = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = candidate.split(separator: "@", omittingEmptySubsequences: false)
        guard candidate.count <= 254, parts.count == 2,
              !parts[0].isEmpty, parts[1].count >= 3,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !candidate.contains(where: { $0.isWhitespace })
        else { return nil }
        value = candidate
    }

    public var description: String { value }
}

extension Validator {
    /// A required, well-formed email address.
    public mutating func email(_ field: String, _ value: String?) -> EmailAddress? {
        guard let value, !value.isEmpty else {
            fail(field, "is required")
            return nil
        }
        guard let email = EmailAddress(value) else {
            fail(field, "is not a valid email address")
            return nil
        }
        return email
    }
}
