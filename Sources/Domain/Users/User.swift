import Foundation

/// An account that can log in. The password is only ever held as a bcrypt hash.
public struct User: Sendable, Equatable {
    public typealias ID = Identifier<User>

    public let id: ID
    public var email: EmailAddress
    public var passwordHash: String
    public var role: UserRole
    public var isActive: Bool
    /// The hospital a HOSPITAL_ADMIN administers.
    public var hospitalID: Hospital.ID?
    /// The patient record a PATIENT account is, and the doctor profile a DOCTOR account is.
    public var patientID: Patient.ID?
    public var doctorID: Doctor.ID?
    public let createdAt: Date

    public init(
        id: ID, email: EmailAddress, passwordHash: String, role: UserRole, isActive: Bool = true,
        hospitalID: Hospital.ID? = nil, patientID: Patient.ID? = nil, doctorID: Doctor.ID? = nil, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.isActive = isActive
        self.hospitalID = hospitalID
        self.patientID = patientID
        self.doctorID = doctorID
        self.createdAt = createdAt
    }
}
