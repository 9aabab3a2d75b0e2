import Foundation

/// A hospital (or other facility) with its public directory data and capacity.
public struct Hospital: Sendable, Equatable {
    public typealias ID = Identifier<Hospital>

    public let id: ID
    public var code: HospitalCode
    public var name: String
    public var email: EmailAddress
    public var facilityType: FacilityType
    public var phonePrimary: String
    public var phoneEmergency: String?
    public var address: PostalAddress
    public var capacity: HospitalCapacity
    public var services: HospitalServices
    public var isActive: Bool
    public let createdAt: Date

    public init(
        id: ID, code: HospitalCode, name: String, email: EmailAddress, facilityType: FacilityType,
        phonePrimary: String, phoneEmergency: String?, address: PostalAddress,
        capacity: HospitalCapacity, services: HospitalServices, isActive: Bool = true, createdAt: Date
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.email = email
        self.facilityType = facilityType
        self.phonePrimary = phonePrimary
        self.phoneEmergency = phoneEmergency
        self.address = address
        self.capacity = capacity
        self.services = services
        self.isActive = isActive
        self.createdAt = createdAt
    }
}

/// A postal address as the API contract spells its fields.
public struct PostalAddress: Sendable, Equatable {
    public var line1: String
    public var city: String
    public var state: String
    public var postalCode: String
    public var country: String

    public init(line1: String, city: String, state: String, postalCode: String, country: String) {
        self.line1 = line1
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }
}

/// Declared bed and theatre capacity of a facility.
public struct HospitalCapacity: Sendable, Equatable {
    public var totalBeds: Int
    public var icuBeds: Int
    public var emergencyBeds: Int
    public var operationTheatres: Int

    public init(totalBeds: Int = 0, icuBeds: Int = 0, emergencyBeds: Int = 0, operationTheatres: Int = 0) {
        self.totalBeds = totalBeds
        self.icuBeds = icuBeds
        self.emergencyBeds = emergencyBeds
        self.operationTheatres = operationTheatres
    }
}

/// Which services a facility offers.
public struct HospitalServices: Sendable, Equatable {
    public var emergency: Bool
    public var ambulance: Bool
    public var pharmacy: Bool
    public var lab: Bool
    public var bloodBank: Bool

    public init(emergency: Bool = false, ambulance: Bool = false, pharmacy: Bool = false, lab: Bool = false, bloodBank: Bool = false) {
        self.emergency = emergency
        self.ambulance = ambulance
        self.pharmacy = pharmacy
        self.lab = lab
        self.bloodBank = bloodBank
    }
}
