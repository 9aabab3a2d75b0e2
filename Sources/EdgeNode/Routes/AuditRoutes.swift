import Domain
import Foundation
import Hummingbird

/// The audit trail, read three ways: a patient's access log (who touched their data), a
/// facility's trail (its admins), and the whole deployment's (SYSTEM_ADMIN). Reading it is itself
/// audited.
struct AuditRoutes {
    let audit: AuditTrail
    let patients: PatientRepository
    let directory: HospitalDirectory

    static let defaultLimit = 100
    static let maximumLimit = 1000

    func register(on api: RouteRegistrar) {
        let tag = "Audit"
        let page = APISchemas.named("AuditPage")
        let paging: [Endpoint.Query] = [
            .init(name: "limit", description: "Entries per page (1...\(Self.maximumLimit), default \(Self.defaultLimit))", schema: .integer),
            .init(name: "before", description: "Only entries older than this entry (the previous page's next_before)", schema: .formatted("uuid")),
        ]
        api.add(.get, "patients/{patient_id}/access-log", tag, "Who accessed this patient's data, and when (the patient; SYSTEM_ADMIN)",
                access: .roles([.patient, .systemAdmin]), documented: { $0.query = paging; $0.success = (200, page) }, use: accessLog)
        api.add(.get, "hospitals/{hospital_id}/audit-log", tag, "A facility's audit trail (its administrators; SYSTEM_ADMIN)",
                access: .roles([.hospitalAdmin, .systemAdmin]), documented: { $0.query = paging; $0.success = (200, page) }, use: facilityLog)
        api.add(.get, "audit-logs", tag, "The whole deployment's audit trail (SYSTEM_ADMIN)",
                access: .roles([.systemAdmin]), documented: { $0.query = paging; $0.success = (200, page) }, use: allLogs)
    }

    @Sendable func accessLog(_ request: Request, context: EdgeRequestContext) async throws -> AuditPage {
        let principal = try context.requirePrincipal()
        let id = try PatientRoutes.patientID(context)
        guard AccessPolicy.mayReadAccessLog(principal, patient: id) else {
            throw APIError.forbidden("A patient's access log is theirs to read")
        }
        guard try await patients.patient(id: id) != nil else { throw APIError.notFound("No such patient") }
        try await audit.record(.init(principal, .read, "access_log", id: id.description, patient: id, clientAddress: context.remoteAddress))
        return try await page(.patient(id), request)
    }

    @Sendable func facilityLog(_ request: Request, context: EdgeRequestContext) async throws -> AuditPage {
        let principal = try context.requirePrincipal()
        let id = try context.pathID("hospital_id", of: Hospital.self, name: "hospital")
        guard AccessPolicy.mayReadFacilityAudit(principal, hospital: id) else {
            throw APIError.forbidden("Only this hospital's administrators may read its audit trail")
        }
        guard try await directory.hospital(id: id) != nil else { throw APIError.notFound("No such hospital") }
        try await audit.record(.init(principal, .read, "audit_log", id: id.description, clientAddress: context.remoteAddress))
        return try await page(.hospital(id), request)
    }

    @Sendable func allLogs(_ request: Request, context: EdgeRequestContext) async throws -> AuditPage {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.mayReadAllAudit(principal) else { throw APIError.forbidden("Only a SYSTEM_ADMIN may read the whole audit trail") }
        try await audit.record(.init(principal, .read, "audit_log", id: nil, clientAddress: context.remoteAddress))
        return try await page(.all, request)
    }

    private func page(_ scope: AuditTrail.Scope, _ request: Request) async throws -> AuditPage {
        let query = request.uri.queryParameters
        var limit = Self.defaultLimit
        if let raw = query.get("limit") {
            guard let value = Int(raw), (1...Self.maximumLimit).contains(value) else {
                throw APIError.unprocessable([.init(field: "limit", message: "must be a whole number between 1 and \(Self.maximumLimit)")])
            }
            limit = value
        }
        var before: AuditEntry.ID?
        if let raw = query.get("before") {
            guard let value = AuditEntry.ID(raw) else {
                throw APIError.unprocessable([.init(field: "before", message: "must be the id of an entry (a page's next_before)")])
            }
            before = value
        }
        let entries = try await audit.entries(scope, before: before, limit: limit)
        return AuditPage(
            entries: entries.map(AuditEntryPayload.init),
            nextBefore: entries.count == limit ? entries.last?.id.description : nil
        )
    }
}

/// A page of audit entries, newest first; `before=<next_before>` fetches the next (older) page.
struct AuditPage: ResponseEncodable {
    let entries: [AuditEntryPayload]
    let nextBefore: String?
}

/// One audit entry as the API shows it.
struct AuditEntryPayload: Encodable {
    let id: String
    let actorId: String?
    let actorRole: String?
    let action: String
    let objectType: String
    let objectId: String?
    let patientId: String?
    let hospitalId: String?
    let occurredAt: String
    let clientAddress: String?
    let nodeId: String

    init(_ entry: AuditEntry) {
        id = entry.id.description
        actorId = entry.actorID?.description
        actorRole = entry.actorRole?.rawValue
        action = entry.action.rawValue
        objectType = entry.objectType
        objectId = entry.objectID
        patientId = entry.patientID?.description
        hospitalId = entry.hospitalID?.description
        occurredAt = Timestamps.storage(entry.occurredAt)
        clientAddress = entry.clientAddress
        nodeId = entry.nodeID
    }
}
