/// The raw hospital sign-up form, as a client sends it (every field optional until validated).
public struct HospitalRegistrationForm: Sendable, Decodable {
    public var email: String?
    public var password: String?
    public var name: String?
    public var phonePrimary: String?
    public var phoneEmergency: String?
    public var addressLine1: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?
    public var facilityType: String?
    public var totalBeds: Int?
    public var icuBeds: Int?
    public var emergencyBeds: Int?
    public var operationTheatres: Int?
    public var hasEmergency: Bool?
    public var hasAmbulance: Bool?
    public var hasPharmacy: Bool?
    public var hasLab: Bool?
    public var hasBloodBank: Bool?

    public init() {}
}

/// A hospital sign-up that passed validation: what is needed to create the admin user and the hospital.
public struct HospitalRegistration: Sendable {
    public let email: EmailAddress
    public let password: String
    public let name: String
    public let facilityType: FacilityType
    public let phonePrimary: String
    public let phoneEmergency: String?
    public let address: PostalAddress
    public let capacity: HospitalCapacity
    public let services: HospitalServices

    /// Validates every field of `form`; throws `DomainError.invalid` listing all offending fields.
    public init(validating form: HospitalRegistrationForm) throws(DomainError) {
        var check = Validator()
        let email = check.email("email", form.email)
        password = check.newPassword("password", form.password)
        name = check.text("name", form.name)
        let facility = form.facilityType == nil
            ? .multiSpecialtyHospital
            : check.choice("facility_type", form.facilityType, as: FacilityType.self)
        phonePrimary = check.text("phone_primary", form.phonePrimary, maxLength: 20)
        phoneEmergency = check.optionalText("phone_emergency", form.phoneEmergency, maxLength: 20)
        address = PostalAddress(
            line1: check.text("address_line1", form.addressLine1),
            city: check.text("city", form.city, maxLength: 100),
            state: check.text("state", form.state, maxLength: 100),
            postalCode: check.text("postal_code", form.postalCode, maxLength: 10),
            country: check.optionalText("country", form.country, maxLength: 100) ?? "India"
        )
        let beds = 0...1_000_000
        capacity = HospitalCapacity(
            totalBeds: check.count("total_beds", form.totalBeds, in: beds) ?? 0,
            icuBeds: check.count("icu_beds", form.icuBeds, in: beds) ?? 0,
            emergencyBeds: check.count("emergency_beds", form.emergencyBeds, in: beds) ?? 0,
            operationTheatres: check.count("operation_theatres", form.operationTheatres, in: 0...10_000) ?? 0
        )
        services = HospitalServices(
            emergency: form.hasEmergency ?? false, ambulance: form.hasAmbulance ?? false,
            pharmacy: form.hasPharmacy ?? false, lab: form.hasLab ?? false, bloodBank: form.hasBloodBank ?? false
        )
        try check.check()
        self.email = email!
        self.facilityType = facility!
    }
}
