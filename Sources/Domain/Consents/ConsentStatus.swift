import Foundation

/// A consent's status, in the only order it may move: `PENDING < APPROVED < DENIED < REVOKED`
/// (a max-register, so a denial or revocation made anywhere wins everywhere).
public enum ConsentStatus: String, Sendable, Codable, CaseIterable, Comparable {
    case pending = "PENDING"
    case approved = "APPROVED"
    case denied = "DENIED"
    case revoked = "REVOKED"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What the access rules need to know of one consent: whose data, for which doctor, its status
/// and when approval lapses.
public struct ConsentGrant: Sendable, Equatable {
    public let patientID: Patient.ID
    public let doctorID: Doctor.ID
    public let status: ConsentStatus
    public let expiresAt: Date?

    public init(patientID: Patient.ID, doctorID: Doctor.ID, status: ConsentStatus, expiresAt: Date?) {
        self.patientID = patientID
        self.doctorID = doctorID
        self.status = status
        self.expiresAt = expiresAt
    }

    /// Whether this consent lets its doctor in at `time`: approved and not yet expired.
    public func isInForce(at time: Date) -> Bool {
        status == .approved && expiresAt.map { time < $0 } ?? true
    }
}
