/// What a new password must satisfy. Checked before hashing; the password itself is never stored or logged.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 72  // bcrypt reads at most 72 bytes

    /// The bcrypt cost the API contract requires for stored password hashes.
    public static let bcryptCost: UInt8 = 12
}

extension Validator {
    /// A required password within the policy's length bounds (in UTF-8 bytes for the upper bound).
    public mutating func newPassword(_ field: String, _ value: String?) -> String {
        guard let value, !value.isEmpty else {
            fail(field, "is required")
            return ""
        }
        if value.count < PasswordPolicy.minimumLength {
            fail(field, "must be at least \(PasswordPolicy.minimumLength) characters")
        }
        if value.utf8.count > PasswordPolicy.maximumLength {
            fail(field, "must be at most \(PasswordPolicy.maximumLength) bytes")
        }
        return value
    }
}
