import Foundation

/// The raw doctor sign-up form, as a client sends it (every field optional until validated).
public struct DoctorRegistrationForm: Sendable, Decodable {
    public var email: String?
    public var password: String?
    public var medicalLicenseNo: String?
    public var firstName: String?
    public var lastName: String?
    public var specialization: String?
    public var phonePrimary: String?
    public var hospitalCode: String?
    public var qualifications: [String]?
    public var experienceYears: Int?
    public var consultationFee: Double?
    public var addressLine1: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?

    public init() {}
}

/// A doctor sign-up that passed validation. The hospital code is checked against the directory
/// by the caller (it is a lookup, not a rule of the form).
public struct DoctorRegistration: Sendable {
    public let email: EmailAddress
    public let password: String
    public let license: MedicalLicense
    public let firstName: String
    public let lastName: String
    public let specialization: String?
    public let phonePrimary: String
    public let hospitalCode: HospitalCode?
    public let qualifications: [String]
    public let experienceYears: Int?
    public let consultationFee: Double?
    public let address: ContactAddress

    /// Validates every field of `form`; throws `DomainError.invalid` listing all offending fields.
    public init(validating form: DoctorRegistrationForm) throws(DomainError) {
        var check = Validator()
        let email = check.email("email", form.email)
        password = check.newPassword("password", form.password)
        let license = check.medicalLicense("medical_license_no", form.medicalLicenseNo)
        firstName = check.text("first_name", form.firstName, maxLength: 100)
        lastName = check.text("last_name", form.lastName, maxLength: 100)
        specialization = check.optionalText("specialization", form.specialization, maxLength: 100)
        phonePrimary = check.text("phone_primary", form.phonePrimary, maxLength: 20)
        if let code = form.hospitalCode, !code.isEmpty {
            hospitalCode = HospitalCode(code)
            if hospitalCode == nil { check.fail("hospital_code", "must look like HC-XXXXXX (6 letters or digits)") }
        } else {
            hospitalCode = nil
        }
        qualifications = check.qualifications("qualifications", form.qualifications) ?? []
        experienceYears = check.count("experience_years", form.experienceYears, in: 0...80)
        consultationFee = check.consultationFee("consultation_fee", form.consultationFee)
        address = check.contactAddress(
            line1: form.addressLine1, city: form.city, state: form.state, postalCode: form.postalCode, country: form.country
        )
        try check.check()
        self.email = email!
        self.license = license!
    }
}

extension Validator {
    /// An optional list of qualifications: at most 20, each 1–50 characters once trimmed.
    public mutating func qualifications(_ field: String, _ list: [String]?) -> [String]? {
        guard let list else { return nil }
        let trimmed = list.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if trimmed.count > 20 || trimmed.contains(where: { $0.isEmpty || $0.count > 50 }) {
            fail(field, "must be at most 20 entries of 1 to 50 characters")
        }
        return trimmed
    }

    /// An optional consultation fee between 0 and 10,000,000.
    public mutating func consultationFee(_ field: String, _ fee: Double?) -> Double? {
        if let fee, !(fee.isFinite && (0...10_000_000).contains(fee)) { fail(field, "must be between 0 and 10000000") }
        return fee
    }
}
