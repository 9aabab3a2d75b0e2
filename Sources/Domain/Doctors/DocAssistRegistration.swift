/// The DocAssist desktop app's `POST /auth/register` form (every field optional until validated).
public struct DocAssistRegistrationForm: Sendable, Decodable {
    public var email: String?
    public var password: String?
    public var name: String?
    public var phone: String?
    public var licenseNumber: String?

    public init() {}
}

/// A DocAssist registration that passed validation: a DOCTOR account whose profile holds the
/// name, phone and (optional) licence the app sends.
public struct DocAssistRegistration: Sendable {
    public let email: EmailAddress
    public let password: String
    public let name: String
    public let phone: String?
    public let license: MedicalLicense?

    /// Validates every field of `form`; throws `DomainError.invalid` listing all offending fields.
    public init(validating form: DocAssistRegistrationForm) throws(DomainError) {
        var check = Validator()
        let email = check.email("email", form.email)
        password = check.newPassword("password", form.password)
        name = check.text("name", form.name, maxLength: 200)
        phone = check.optionalText("phone", form.phone, maxLength: 20)
        license = check.medicalLicense("license_number", form.licenseNumber, optional: true)
        try check.check()
        self.email = email!
    }
}
