import Domain
import Foundation
import Hummingbird
import Replication

/// `/consents`: doctors request access, patients decide. Status only moves up (a revocation at any
/// node wins everywhere); only the patient decides; access is derived from consents at read time.
struct ConsentRoutes {
    let consents: ConsentRepository
    let patients: PatientRepository
    let audit: AuditTrail
    let clock: any PhysicalClock
    /// Demo and development nodes also offer `DELETE /consents/cleanup/all`.
    let offersCleanup: Bool

    func register(on api: RouteRegistrar) {
        let tag = "Consents"
        let consent = APISchemas.named("Consent")
        api.add(.post, "consents/request", tag, "A doctor asks a patient for access (PENDING)", access: .roles([.doctor]), documented: {
            $0.body = APISchemas.named("ConsentRequest"); $0.success = (201, consent)
            $0.errors = [(409, "A request of this doctor for this patient is already pending or approved")]
        }, use: requestConsent)
        api.add(.get, "consents/patient/{patient_id}", tag, "A patient's consents (the patient; a doctor sees those naming them)",
                access: .roles([.patient, .doctor]), documented: {
            $0.query = [.init(name: "status_filter", description: "PENDING, APPROVED, DENIED or REVOKED", schema: .oneOf(ConsentStatus.allCases.map(\.rawValue)))]
            $0.success = (200, .array(consent))
        }, use: list)
        api.add(.patch, "consents/{consent_id}", tag, "The patient decides: APPROVED (optionally until expires_at), DENIED or REVOKED",
                access: .roles([.patient]), documented: {
            $0.body = APISchemas.named("ConsentDecision"); $0.success = (200, consent)
            $0.errors = [(409, "A denied or revoked consent is final; the doctor requests again")]
        }, use: decide)
        api.add(.get, "consents/{consent_id}/can-revoke", tag, "Whether the consent can still be revoked",
                access: .roles([.patient, .doctor]), use: canRevoke)
        api.add(.delete, "consents/{consent_id}", tag, "Delete a consent (the patient; only a denied or expired one)",
                access: .roles([.patient]), documented: {
            $0.success = (204, nil); $0.errors = [(409, "Only denied or expired consents are deleted")]
        }, use: delete)
        if offersCleanup {
            api.add(.delete, "consents/cleanup/all", tag, "Delete every consent (demo and development nodes only)",
                    access: .roles([.systemAdmin]), use: cleanup)
        }
    }

    @Sendable func requestConsent(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<ConsentPayload> {
        let principal = try context.requirePrincipal()
        guard let doctor = principal.doctorID else { throw APIError.forbidden("This account has no doctor profile") }
        var request = request
        let form = try ConsentRequest(validating: try await request.decodeJSON(as: ConsentRequestForm.self, context: context))
        if let named = form.doctorID, named != doctor { throw APIError.forbidden("A doctor requests consent only for themselves") }
        guard try await patients.patient(id: form.patientID) != nil else { throw APIError.notFound("No such patient") }
        let now = clock.now()
        if try await consents.consents(patient: form.patientID, doctor: doctor).contains(where: { ConsentRules.canRevoke($0, at: now) }) {
            throw APIError.conflict("A request of yours for this patient is already pending or approved")
        }
        let consent = try await consents.request(form, by: doctor, principal: principal, clientAddress: context.remoteAddress)
        return EditedResponse(status: .created, response: ConsentPayload(consent, at: now))
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> [ConsentPayload] {
        let principal = try context.requirePrincipal()
        let patient = try PatientRoutes.patientID(context)
        var status: ConsentStatus?
        if let raw = request.uri.queryParameters.get("status_filter") {
            guard let parsed = ConsentStatus(rawValue: raw) else {
                throw APIError.unprocessable([.init(field: "status_filter", message: "must be one of PENDING, APPROVED, DENIED, REVOKED")])
            }
            status = parsed
        }
        switch principal.role {
        case .patient where principal.patientID == patient: break
        case .doctor where principal.doctorID != nil: break
        default: throw APIError.forbidden("A patient's consents are theirs, and the requesting doctor's")
        }
        let now = clock.now()
        let doctor = principal.role == .doctor ? principal.doctorID : nil
        try await audit.record(.init(principal, .read, "consents", id: patient.description, patient: patient, clientAddress: context.remoteAddress))
        return try await consents.consents(patient: patient, status: status, doctor: doctor)
            .filter { AccessPolicy.mayReadConsent(principal, of: $0.grant) }
            .map { ConsentPayload($0, at: now) }
    }

    @Sendable func decide(_ request: Request, context: EdgeRequestContext) async throws -> ConsentPayload {
        let principal = try context.requirePrincipal()
        let consent = try await visibleConsent(context, to: principal)
        guard AccessPolicy.mayModifyPatientData(principal, patient: consent.patientID) else { throw APIError.forbidden("Only the patient decides") }
        var request = request
        let body = try await request.decodeJSON(as: ConsentDecisionForm.self, context: context)
        let now = clock.now()
        var check = Validator()
        let target = check.choice("status", body.status, as: ConsentStatus.self)
        var expiresAt: Date?
        if let raw = body.expiresAt {
            expiresAt = Timestamps.parse(raw)
            if expiresAt.map({ $0 > now }) != true { check.fail("expires_at", "must be a future ISO-8601 time") }
            if target != .approved { check.fail("expires_at", "only goes with APPROVED") }
        }
        try check.check()
        switch ConsentRules.transition(from: consent.status, to: target!) {
        case .unchanged where expiresAt != nil:
            throw APIError.conflict("This consent is already approved; its expiry is set at approval (revoke, and the doctor asks again)")
        case .unchanged: return ConsentPayload(consent, at: now)
        case .refused(let reason): throw APIError.conflict(reason)
        case .move:
            let decided = try await consents.decide(consent, target!, expiresAt: expiresAt, principal: principal, clientAddress: context.remoteAddress)
            return ConsentPayload(decided, at: now)
        }
    }

    @Sendable func canRevoke(_ request: Request, context: EdgeRequestContext) async throws -> Revocability {
        let principal = try context.requirePrincipal()
        let consent = try await visibleConsent(context, to: principal)
        let now = clock.now()
        let able = ConsentRules.canRevoke(consent, at: now)
        return Revocability(
            consentId: consent.id.description, status: consent.status.rawValue, canRevoke: able,
            reason: able ? nil : consent.isExpired(at: now) ? "The consent has expired" : "A \(consent.status.rawValue) consent grants nothing to revoke"
        )
    }

    @Sendable func delete(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let consent = try await visibleConsent(context, to: principal)
        guard AccessPolicy.mayModifyPatientData(principal, patient: consent.patientID) else { throw APIError.forbidden("Only the patient deletes a consent") }
        guard ConsentRules.mayDelete(consent, at: clock.now()) else {
            throw APIError.conflict("Only denied or expired consents are deleted; revoke an active one")
        }
        try await consents.delete(consent, principal: principal, clientAddress: context.remoteAddress)
        return Response(status: .noContent)
    }

    @Sendable func cleanup(_ request: Request, context: EdgeRequestContext) async throws -> CleanupResult {
        CleanupResult(deleted: try await consents.deleteAll(principal: try context.requirePrincipal(), clientAddress: context.remoteAddress))
    }

    /// The named consent if the caller may see it; 404 otherwise, so nobody learns which ids exist.
    private func visibleConsent(_ context: EdgeRequestContext, to principal: Principal) async throws -> Consent {
        guard let id = context.parameters.get("consent_id").flatMap(Consent.ID.init),
              let consent = try await consents.consent(id: id), AccessPolicy.mayReadConsent(principal, of: consent.grant) else {
            throw APIError.notFound("No such consent")
        }
        return consent
    }
}

/// A consent as the API shows it; `is_active` says whether it grants access right now.
struct ConsentPayload: ResponseEncodable {
    let id: String
    let patientId: String
    let doctorId: String
    let facilityName: String?
    let requestType: String
    let description: String?
    let status: String
    let isActive: Bool
    let requestedAt: String
    let decidedAt: String?
    let expiresAt: String?

    init(_ consent: Consent, at time: Date) {
        id = consent.id.description
        patientId = consent.patientID.description
        doctorId = consent.doctorID.description
        facilityName = consent.facilityName
        requestType = consent.requestType
        description = consent.description
        status = consent.status.rawValue
        isActive = consent.grant.isInForce(at: time)
        requestedAt = Timestamps.api(consent.requestedAt)
        decidedAt = consent.decidedAt.map(Timestamps.api)
        expiresAt = consent.expiresAt.map(Timestamps.api)
    }
}

struct Revocability: ResponseEncodable {
    let consentId: String
    let status: String
    let canRevoke: Bool
    let reason: String?
}

struct CleanupResult: ResponseEncodable {
    let deleted: Int
}
