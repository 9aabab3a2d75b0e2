import Foundation

/// A doctor: the professional profile behind a DOCTOR account.
public struct Doctor: Sendable, Equatable {
    public typealias ID = Identifier<Doctor>

    public let id: ID
    public let userID: User.ID
    public var firstName: String
    public var lastName: String
    /// The medical council registration, unique across the network when given (DocAssist
    /// accounts may have none).
    public var licenseNumber: MedicalLicense?
    public var specialization: String?
    public var phonePrimary: String?
    /// The hospital the doctor signed up with (by its code), if any.
    public var hospitalID: Hospital.ID?
    public var qualifications: [String]
    public var experienceYears: Int?
    public var consultationFee: Double?
    public var address: ContactAddress
    public let createdAt: Date

    public init(
        id: ID, userID: User.ID, firstName: String, lastName: String, licenseNumber: MedicalLicense?,
        specialization: String?, phonePrimary: String?, hospitalID: Hospital.ID?, qualifications: [String],
        experienceYears: Int?, consultationFee: Double?, address: ContactAddress, createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.firstName = firstName
        self.lastName = lastName
        self.licenseNumber = licenseNumber
        self.specialization = specialization
        self.phonePrimary = phonePrimary
        self.hospitalID = hospitalID
        self.qualifications = qualifications
        self.experienceYears = experienceYears
        self.consultationFee = consultationFee
        self.address = address
        self.createdAt = createdAt
    }

    /// The name as a person reads it.
    public var fullName: String {
        [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
