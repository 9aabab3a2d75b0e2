/// One invalid field of an input, with a human-readable reason.
public struct FieldIssue: Hashable, Sendable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The errors the domain rules raise. `EdgeNode` maps each case to one HTTP status.
public enum DomainError: Error, Equatable, Sendable {
    /// The input breaks validation rules; every offending field is listed.
    case invalid([FieldIssue])
    /// The object conflicts with an existing one (for example a duplicate email).
    case conflict(String)
    /// The named object does not exist (or the caller may not know that it exists).
    case notFound(String)
    /// The caller is authenticated but may not do this.
    case forbidden(String)
    /// Credentials or tokens are missing, wrong or expired.
    case unauthorized(String)
}
