import Foundation

/// The editable part of a doctor's profile, as a client sends it (`POST /doctors/{id}/profile`).
public struct DoctorProfileForm: Sendable, Decodable {
    public var specialization: String?
    public var phonePrimary: String?
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

/// A validated profile edit: only the fields sent change (a field cannot be cleared, only
/// replaced). Name and licence are the registration's and do not change here.
public struct DoctorProfileUpdate: Sendable {
    public let specialization: String?
    public let phonePrimary: String?
    public let qualifications: [String]?
    public let experienceYears: Int?
    public let consultationFee: Double?
    public let address: ContactAddress

    public init(validating form: DoctorProfileForm) throws(DomainError) {
        var check = Validator()
        specialization = check.optionalText("specialization", form.specialization, maxLength: 100)
        phonePrimary = check.optionalText("phone_primary", form.phonePrimary, maxLength: 20)
        qualifications = check.qualifications("qualifications", form.qualifications)
        experienceYears = check.count("experience_years", form.experienceYears, in: 0...80)
        consultationFee = check.consultationFee("consultation_fee", form.consultationFee)
        address = check.contactAddress(line1: form.addressLine1, city: form.city, state: form.state, postalCode: form.postalCode, country: form.country)
        let sent: [Any?] = [specialization, phonePrimary, qualifications, experienceYears, consultationFee, address.line1, address.city, address.state,
                            address.postalCode, address.country]
        if check.issues.isEmpty, sent.allSatisfy({ $0 == nil }) { check.fail("profile", "send at least one field to change") }
        try check.check()
    }
}
