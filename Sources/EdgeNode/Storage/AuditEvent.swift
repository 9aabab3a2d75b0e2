import Domain

/// What one audited request did, before the trail stamps it with an id, the time and the node.
struct AuditEvent: Sendable {
    let actor: Principal?
    let action: AuditAction
    let objectType: String
    let objectID: String?
    let patientID: Patient.ID?
    let clientAddress: String?

    init(_ actor: Principal?, _ action: AuditAction, _ objectType: String, id objectID: String?, patient: Patient.ID? = nil, clientAddress: String?) {
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.patientID = patient
        self.clientAddress = clientAddress
    }
}
