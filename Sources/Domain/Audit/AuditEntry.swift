import Foundation

/// One access to patient data or to an account, as the audit trail keeps it: who (actor and
/// role), did what, to which object, whose data it was, when, from where, at which node.
/// Entries are immutable facts; nothing updates or deletes them.
public struct AuditEntry: Sendable, Equatable {
    public typealias ID = Identifier<AuditEntry>

    public let id: ID
    public let actorID: User.ID?
    public let actorRole: UserRole?
    public let action: AuditAction
    /// The kind of object (`patient`, `account`, `audit_log`, …) and its id.
    public let objectType: String
    public let objectID: String?
    /// The patient whose data this was, when it was patient data: their access log lists it.
    public let patientID: Patient.ID?
    /// The facility the actor acted for (an admin's or a doctor's hospital): its admins' trail lists it.
    public let hospitalID: Hospital.ID?
    public let occurredAt: Date
    public let clientAddress: String?
    public let nodeID: String

    public init(
        id: ID, actorID: User.ID?, actorRole: UserRole?, action: AuditAction, objectType: String, objectID: String?,
        patientID: Patient.ID?, hospitalID: Hospital.ID?, occurredAt: Date, clientAddress: String?, nodeID: String
    ) {
        self.id = id
        self.actorID = actorID
        self.actorRole = actorRole
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.patientID = patientID
        self.hospitalID = hospitalID
        self.occurredAt = occurredAt
        self.clientAddress = clientAddress
        self.nodeID = nodeID
    }
}

/// What an audited request did.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case create = "CREATE"
    case read = "READ"
    case update = "UPDATE"
    case delete = "DELETE"
    case login = "LOGIN"
    case refresh = "REFRESH"
    case logout = "LOGOUT"
}
