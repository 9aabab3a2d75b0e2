/// The raw request for a new SYSTEM_ADMIN account (made by an operator with `edgectl`; the role
/// has no public sign-up).
public struct SystemAdminForm: Sendable, Codable {
    public var email: String?
    public var password: String?

    public init(email: String?, password: String?) {
        self.email = email
        self.password = password
    }
}

/// A SYSTEM_ADMIN account request that passed validation.
public struct SystemAdminRegistration: Sendable {
    public let email: EmailAddress
    public let password: String

    /// Validates every field; throws `DomainError.invalid` listing all offending fields.
    public init(validating form: SystemAdminForm) throws(DomainError) {
        var check = Validator()
        let email = check.email("email", form.email)
        password = check.newPassword("password", form.password)
        try check.check()
        self.email = email!
    }
}
