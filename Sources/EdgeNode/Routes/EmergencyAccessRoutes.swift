import Domain
import Foundation
import Hummingbird
import Replication

/// Break-glass: a doctor opens read-only access to a patient in an emergency, with a mandatory
/// reason, for two hours — audited, visible in the patient's access log, and listed for review by
/// the admins of the doctor's hospitals.
struct EmergencyAccessRoutes {
    let emergencies: EmergencyAccessRepository
    let patients: PatientRepository
    let doctorHospitals: DoctorHospitalRepository
    let directory: HospitalDirectory
    let clock: any PhysicalClock

    static let reviewLimit = 500

    func register(on api: RouteRegistrar) {
        let tag = "Break-glass"
        api.add(.post, "patients/{patient_id}/break-glass", tag, "Open emergency read-only access for 2 hours, with a reason (doctors)",
                access: .roles([.doctor]), documented: {
            $0.body = .object([("reason", .string)], required: ["reason"]); $0.success = (201, APISchemas.named("EmergencyAccess"))
        }, use: open)
        api.add(.get, "hospitals/{hospital_id}/break-glass", tag, "Break-glass openings by doctors of this hospital when they opened them, for review",
                access: .roles([.hospitalAdmin, .systemAdmin]), documented: {
            $0.success = (200, .array(APISchemas.named("EmergencyAccess")))
        }, use: review)
        api.add(.get, "break-glass", tag, "Every break-glass opening in the deployment (SYSTEM_ADMIN)", access: .roles([.systemAdmin]), documented: {
            $0.success = (200, .array(APISchemas.named("EmergencyAccess")))
        }, use: reviewAll)
    }

    @Sendable func open(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<EmergencyAccessPayload> {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.mayOpenEmergencyAccess(principal), let doctor = principal.doctorID else {
            throw APIError.forbidden("Only a doctor opens break-glass access")
        }
        let patientID = try PatientRoutes.patientID(context)
        var request = request
        let body = try await request.decodeJSON(as: EmergencyAccessForm.self, context: context)
        var check = Validator()
        let reason = check.emergencyReason("reason", body.reason)
        try check.check()
        guard try await patients.patient(id: patientID) != nil else { throw APIError.notFound("No such patient") }
        let hospitals = try await doctorHospitals.links(of: doctor).map(\.hospitalID)
        let access = try await emergencies.open(
            patientID, for: doctor, reviewedBy: hospitals, reason: reason, principal: principal, clientAddress: context.remoteAddress
        )
        context.logger.notice("Break-glass access opened", metadata: ["edge.doctor.id": "\(doctor)", "edge.patient.id": "\(patientID)"])
        return EditedResponse(status: .created, response: EmergencyAccessPayload(access, at: clock.now()))
    }

    @Sendable func review(_ request: Request, context: EdgeRequestContext) async throws -> [EmergencyAccessPayload] {
        let principal = try context.requirePrincipal()
        let hospital = try await HospitalRoutes.hospital(context, in: directory)
        guard AccessPolicy.mayReadFacilityAudit(principal, hospital: hospital.id) else {
            throw APIError.forbidden("Only this hospital's administrators review its break-glass openings")
        }
        let now = clock.now()
        return try await emergencies.openings(forReviewAt: hospital.id, limit: Self.reviewLimit).map { EmergencyAccessPayload($0, at: now) }
    }

    @Sendable func reviewAll(_ request: Request, context: EdgeRequestContext) async throws -> [EmergencyAccessPayload] {
        guard AccessPolicy.mayReadAllAudit(try context.requirePrincipal()) else { throw APIError.forbidden("Only a SYSTEM_ADMIN reviews every opening") }
        let now = clock.now()
        return try await emergencies.openings(forReviewAt: nil, limit: Self.reviewLimit).map { EmergencyAccessPayload($0, at: now) }
    }
}

struct EmergencyAccessForm: Decodable {
    var reason: String?
}

/// A break-glass opening as the API shows it; `is_open` says whether it still grants access.
struct EmergencyAccessPayload: ResponseEncodable {
    let id: String
    let patientId: String
    let doctorId: String
    let reason: String
    let openedAt: String
    let expiresAt: String
    let isOpen: Bool

    init(_ access: EmergencyAccess, at time: Date) {
        id = access.id.description
        patientId = access.patientID.description
        doctorId = access.doctorID.description
        reason = access.reason
        openedAt = Timestamps.api(access.openedAt)
        expiresAt = Timestamps.api(access.expiresAt)
        isOpen = access.isOpen(at: time)
    }
}
