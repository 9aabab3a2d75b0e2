import Foundation

/// Break-glass: a doctor opens read-only access to a patient's data in an emergency, with a
/// stated reason, for a fixed time. It is an immutable, audited fact; it never lets anyone change
/// patient data.
public struct EmergencyAccess: Sendable, Equatable {
    public typealias ID = Identifier<EmergencyAccess>

    /// How long break-glass access lasts.
    public static let duration: TimeInterval = 2 * 60 * 60

    public let id: ID
    public let patientID: Patient.ID
    public let doctorID: Doctor.ID
    public let reason: String
    public let openedAt: Date
    public let expiresAt: Date

    public init(id: ID, patientID: Patient.ID, doctorID: Doctor.ID, reason: String, openedAt: Date, expiresAt: Date) {
        self.id = id
        self.patientID = patientID
        self.doctorID = doctorID
        self.reason = reason
        self.openedAt = openedAt
        self.expiresAt = expiresAt
    }

    public func isOpen(at time: Date) -> Bool {
        openedAt <= time && time < expiresAt
    }
}

extension Validator {
    /// A break-glass reason: required, 10–500 characters, so it says something.
    public mutating func emergencyReason(_ field: String, _ value: String?) -> String {
        let reason = text(field, value, maxLength: 500)
        if !reason.isEmpty, reason.count < 10 { fail(field, "must explain the emergency in at least 10 characters") }
        return reason
    }
}
