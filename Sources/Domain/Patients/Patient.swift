import Foundation

/// A patient: the person behind a PATIENT account, identified across the network by the
/// Aadhaar-derived UID (an HMAC of the number; the number itself is never part of the entity).
public struct Patient: Sendable, Equatable {
    public typealias ID = Identifier<Patient>

    public let id: ID
    public let userID: User.ID
    /// HMAC-SHA256 of the Aadhaar number under the deployment's key, lowercase hex.
    public let aadharUID: String
    public var firstName: String
    public var lastName: String
    public var dateOfBirth: CalendarDate
    public var gender: Gender
    public var bloodGroup: BloodGroup?
    public var phonePrimary: String
    public var emergencyContact: EmergencyContact?
    public var address: ContactAddress
    public let createdAt: Date

    public init(
        id: ID, userID: User.ID, aadharUID: String, firstName: String, lastName: String, dateOfBirth: CalendarDate,
        gender: Gender, bloodGroup: BloodGroup?, phonePrimary: String, emergencyContact: EmergencyContact?,
        address: ContactAddress, createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.aadharUID = aadharUID
        self.firstName = firstName
        self.lastName = lastName
        self.dateOfBirth = dateOfBirth
        self.gender = gender
        self.bloodGroup = bloodGroup
        self.phonePrimary = phonePrimary
        self.emergencyContact = emergencyContact
        self.address = address
        self.createdAt = createdAt
    }
}

/// Whom to call for a patient in an emergency.
public struct EmergencyContact: Sendable, Equatable {
    public var name: String
    public var phone: String
    public var relation: String?

    public init(name: String, phone: String, relation: String?) {
        self.name = name
        self.phone = phone
        self.relation = relation
    }
}
