import Foundation

/// A doctor's request to see a patient's data, and the patient's decision on it. Access is never
/// stored anywhere else: whether a doctor may read a patient's data is derived from consents at
/// read time (`AccessPolicy.mayReadPatientData`).
public struct Consent: Sendable, Equatable {
    public typealias ID = Identifier<Consent>

    public let id: ID
    public let patientID: Patient.ID
    public let doctorID: Doctor.ID
    public let facilityName: String?
    public let requestType: String
    public let description: String?
    public var status: ConsentStatus
    public let requestedAt: Date
    public var decidedAt: Date?
    /// When an approval lapses; access ends then, with no write.
    public var expiresAt: Date?

    public init(
        id: ID, patientID: Patient.ID, doctorID: Doctor.ID, facilityName: String?, requestType: String, description: String?,
        status: ConsentStatus, requestedAt: Date, decidedAt: Date?, expiresAt: Date?
    ) {
        self.id = id
        self.patientID = patientID
        self.doctorID = doctorID
        self.facilityName = facilityName
        self.requestType = requestType
        self.description = description
        self.status = status
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
        self.expiresAt = expiresAt
    }

    /// What the access rules need of it.
    public var grant: ConsentGrant {
        ConsentGrant(patientID: patientID, doctorID: doctorID, status: status, expiresAt: expiresAt)
    }

    /// Whether it has lapsed by `time` (an approval past its expiry).
    public func isExpired(at time: Date) -> Bool {
        expiresAt.map { $0 <= time } ?? false
    }
}
