import Domain
import Foundation
import Hummingbird
import Replication

/// Notifications, derived when asked from consents, admissions and break-glass openings: a
/// doctor's (decisions on their requests, their patients' admissions, critical alerts) and a
/// patient's (access requests, emergency access to their data, their admissions).
struct NotificationRoutes {
    let consents: ConsentRepository
    let admissions: AdmissionRepository
    let emergencies: EmergencyAccessRepository
    let patients: PatientRepository
    let doctors: DoctorRepository
    let audit: AuditTrail

    static let limit = 100

    func register(on api: RouteRegistrar) {
        let list = JSONSchema.array(APISchemas.named("Notification"))
        api.add(.get, "doctors/{doctor_id}/notifications", "Doctors", "Consent decisions, admissions and critical alerts (the doctor)",
                access: .roles([.doctor]), documented: { $0.success = (200, list) }, use: doctorNotifications)
        api.add(.get, "patients/{patient_id}/notifications", "Patients", "Access requests, break-glass openings, admissions (the patient)",
                access: .roles([.patient]), documented: { $0.success = (200, list) }, use: patientNotifications)
    }

    @Sendable func doctorNotifications(_ request: Request, context: EdgeRequestContext) async throws -> [NotificationPayload] {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("doctor_id").flatMap(Doctor.ID.init), principal.doctorID == id else {
            throw APIError.forbidden("A doctor reads only their own notifications")
        }
        let decided = try await consents.consents(doctor: id)
        let admitted = try await admissions.admissions(doctor: id, limit: Self.limit)
        var names: [Patient.ID: String] = [:]
        for patientID in Set(decided.map(\.patientID) + admitted.map(\.patientID)) {
            names[patientID] = try await patients.patient(id: patientID).map { "\($0.firstName) \($0.lastName)" }
        }
        // Admission notices carry the condition: a read of those patients' data.
        for patientID in Set(admitted.map(\.patientID)) {
            try await audit.record(.init(principal, .read, "admission", id: nil, patient: patientID, clientAddress: context.remoteAddress))
        }
        return Notifications.forDoctor(consents: decided, admissions: admitted, names: names, limit: Self.limit).map(NotificationPayload.init)
    }

    @Sendable func patientNotifications(_ request: Request, context: EdgeRequestContext) async throws -> [NotificationPayload] {
        let principal = try context.requirePrincipal()
        let patient = try PatientRoutes.patientID(context)
        guard AccessPolicy.mayModifyPatientData(principal, patient: patient) else {
            throw APIError.forbidden("A patient reads only their own notifications")
        }
        let requests = try await consents.consents(patient: patient)
        let openings = try await emergencies.openings(of: patient, limit: Self.limit)
        var names: [Doctor.ID: String] = [:]
        for doctorID in Set(requests.map(\.doctorID) + openings.map(\.doctorID)) {
            names[doctorID] = try await doctors.doctor(id: doctorID)?.fullName
        }
        return Notifications.forPatient(
            consents: requests, emergencies: openings, admissions: try await admissions.admissions(patient: patient, limit: Self.limit),
            doctorNames: names, limit: Self.limit
        ).map(NotificationPayload.init)
    }
}

struct NotificationPayload: ResponseEncodable {
    let id: String
    let kind: String
    let patientId: String
    let message: String
    let at: String

    init(_ notification: Domain.Notification) {
        id = notification.id
        kind = notification.kind.rawValue
        patientId = notification.patientID.description
        message = notification.message
        at = Timestamps.api(notification.at)
    }
}
