/// The raw patient sign-up form, as a client sends it (every field optional until validated).
public struct PatientRegistrationForm: Sendable, Decodable {
    public var email: String?
    public var password: String?
    public var aadharNumber: String?
    public var firstName: String?
    public var lastName: String?
    public var dateOfBirth: String?
    public var gender: String?
    public var bloodGroup: String?
    public var phonePrimary: String?
    public var emergencyContactName: String?
    public var emergencyContactPhone: String?
    public var emergencyContactRelation: String?
    public var addressLine1: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?

    public init() {}
}

/// A patient sign-up that passed validation.
public struct PatientRegistration: Sendable {
    public let email: EmailAddress
    public let password: String
    /// Secret: turned into the UID and encrypted at once, never stored or logged as is.
    public let aadhaar: AadhaarNumber
    public let firstName: String
    public let lastName: String
    public let dateOfBirth: CalendarDate
    public let gender: Gender
    public let bloodGroup: BloodGroup?
    public let phonePrimary: String
    public let emergencyContact: EmergencyContact?
    public let address: ContactAddress

    /// Validates every field of `form` (a date of birth must lie between 150 years ago and
    /// `today`); throws `DomainError.invalid` listing all offending fields.
    public init(validating form: PatientRegistrationForm, today: CalendarDate) throws(DomainError) {
        var check = Validator()
        let email = check.email("email", form.email)
        password = check.newPassword("password", form.password)
        let aadhaar = check.aadhaar("aadhar_number", form.aadharNumber)
        firstName = check.text("first_name", form.firstName, maxLength: 100)
        lastName = check.text("last_name", form.lastName, maxLength: 100)
        let birth = check.pastDate("date_of_birth", form.dateOfBirth, today: today, maxYears: 150)
        let gender = check.choice("gender", form.gender, as: Gender.self)
        bloodGroup = form.bloodGroup == nil ? nil : check.choice("blood_group", form.bloodGroup, as: BloodGroup.self)
        phonePrimary = check.text("phone_primary", form.phonePrimary, maxLength: 20)
        let contactName = check.optionalText("emergency_contact_name", form.emergencyContactName, maxLength: 100)
        let contactPhone = check.optionalText("emergency_contact_phone", form.emergencyContactPhone, maxLength: 20)
        let relation = check.optionalText("emergency_contact_relation", form.emergencyContactRelation, maxLength: 50)
        switch (contactName, contactPhone) {
        case let (name?, phone?): emergencyContact = EmergencyContact(name: name, phone: phone, relation: relation)
        case (nil, nil): emergencyContact = nil
        case (nil, _):
            check.fail("emergency_contact_name", "is required with an emergency contact phone")
            emergencyContact = nil
        case (_, nil):
            check.fail("emergency_contact_phone", "is required with an emergency contact name")
            emergencyContact = nil
        }
        address = check.contactAddress(
            line1: form.addressLine1, city: form.city, state: form.state, postalCode: form.postalCode, country: form.country
        )
        try check.check()
        self.email = email!
        self.aadhaar = aadhaar!
        self.dateOfBirth = birth!
        self.gender = gender!
    }
}

extension Validator {
    /// A required `YYYY-MM-DD` date no later than `today` and at most `maxYears` before it.
    public mutating func pastDate(_ field: String, _ value: String?, today: CalendarDate, maxYears: Int) -> CalendarDate? {
        guard let value, !value.isEmpty else {
            fail(field, "is required")
            return nil
        }
        guard let date = CalendarDate(value) else {
            fail(field, "must be a date written YYYY-MM-DD")
            return nil
        }
        guard date <= today, date.years(until: today) <= maxYears else {
            fail(field, "must lie between \(maxYears) years ago and today")
            return nil
        }
        return date
    }
}
