import Domain
import Foundation
import Hummingbird
import Replication

/// A hospital's care: admit, discharge, its admitted patients, and the dashboard computed from
/// admissions, resources and doctors. Its admins and the doctors who work there; admissions are
/// written at the facility's own nodes (or the hub).
struct AdmissionRoutes {
    let admissions: AdmissionRepository
    let patients: PatientRepository
    let directory: HospitalDirectory
    let resources: HospitalResourcesRepository
    let doctorHospitals: DoctorHospitalRepository
    let audit: AuditTrail
    /// The facility this node serves, if it is a provisioned hospital node.
    let facility: HospitalCode?

    func register(on api: RouteRegistrar) {
        let tag = "Hospitals"
        let staff = EndpointAccess.roles([.hospitalAdmin, .doctor])
        api.add(.post, "hospitals/{hospital_id}/admit", tag, "Admit a patient (the hospital's admins and doctors)", access: staff, documented: {
            $0.body = APISchemas.named("AdmissionRequest"); $0.success = (201, APISchemas.named("Admission"))
            $0.errors = [(409, "The patient is already admitted here")]
        }, use: admit)
        api.add(.post, "hospitals/{hospital_id}/patients/{patient_id}/discharge", tag, "Discharge (optional summary and follow-up)",
                access: staff, documented: { $0.success = (200, APISchemas.named("Admission")) }, use: discharge)
        api.add(.get, "hospitals/{hospital_id}/patients", tag, "The hospital's admitted (or discharged) patients", access: staff, documented: {
            $0.query = [.init(name: "status_filter", description: "ADMITTED (default) or DISCHARGED", schema: .oneOf(["ADMITTED", "DISCHARGED"]))]
            $0.success = (200, .array(APISchemas.named("Admission")))
        }, use: list)
        api.add(.get, "hospitals/{hospital_id}/dashboard", tag, "Beds, emergency and critical cases, doctors — computed, not stored",
                access: .roles([.hospitalAdmin, .doctor, .systemAdmin]), documented: { $0.success = (200, APISchemas.named("HospitalDashboard")) },
                use: dashboard)
    }

    @Sendable func admit(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AdmissionPayload> {
        let (principal, hospital) = try await careAt(context, writing: true)
        var request = request
        let admission = try AdmissionRequest(validating: try await request.decodeJSON(as: AdmissionForm.self, context: context))
        guard let patient = try await patients.patient(id: admission.patientID) else { throw APIError.notFound("No such patient") }
        if let doctor = admission.doctorID, try await !doctorHospitals.doctors(at: hospital.id).contains(doctor) {
            throw APIError.unprocessable([.init(field: "doctor_id", message: "is not a doctor of this hospital")])
        }
        let admitted = try await admissions.admit(admission, to: hospital.id, principal: principal, clientAddress: context.remoteAddress)
        return EditedResponse(status: .created, response: AdmissionPayload(admitted, patient: patient))
    }

    @Sendable func discharge(_ request: Request, context: EdgeRequestContext) async throws -> AdmissionPayload {
        let (principal, hospital) = try await careAt(context, writing: true)
        let patientID = try PatientRoutes.patientID(context)
        guard let admission = try await admissions.current(patientID, at: hospital.id), let patient = try await patients.patient(id: patientID) else {
            throw APIError.notFound("This patient is not admitted here")
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize).readableBytes == 0
            ? DischargeForm() : try await request.decodeJSON(as: DischargeForm.self, context: context)
        var check = Validator()
        let summary = check.optionalText("summary", body.summary, maxLength: 5000)
        let followUp = check.optionalText("follow_up", body.followUp, maxLength: 1000)
        try check.check()
        let discharged = try await admissions.discharge(admission, summary: summary, followUp: followUp, principal: principal, clientAddress: context.remoteAddress)
        return AdmissionPayload(discharged, patient: patient)
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> [AdmissionPayload] {
        let (principal, hospital) = try await careAt(context, writing: false)
        var status = Admission.Status.admitted
        if let raw = request.uri.queryParameters.get("status_filter") {
            guard let parsed = Admission.Status(rawValue: raw) else {
                throw APIError.unprocessable([.init(field: "status_filter", message: "must be ADMITTED or DISCHARGED")])
            }
            status = parsed
        }
        var list: [AdmissionPayload] = []
        for admission in try await admissions.admissions(at: hospital.id, status: status) {
            guard let patient = try await patients.patient(id: admission.patientID) else { continue }
            try await audit.record(.init(principal, .read, "admission", id: admission.id.description, patient: patient.id, clientAddress: context.remoteAddress))
            list.append(AdmissionPayload(admission, patient: patient, clinical: principal.role == .doctor))
        }
        return list
    }

    @Sendable func dashboard(_ request: Request, context: EdgeRequestContext) async throws -> DashboardPayload {
        let principal = try context.requirePrincipal()
        let hospital = try await HospitalRoutes.hospital(context, in: directory)
        if principal.role != .systemAdmin {
            _ = try await careAt(context, writing: false)
        }
        let (declared, _) = try await resources.resources(of: hospital.id)
        return DashboardPayload(HospitalDashboard(
            capacity: hospital.capacity, resources: declared, admitted: try await admissions.admissions(at: hospital.id, status: .admitted),
            doctors: Set(try await doctorHospitals.doctors(at: hospital.id))
        ))
    }

    /// The caller and the hospital the path names, if the caller cares for patients there; when
    /// `writing`, also at the right node.
    private func careAt(_ context: EdgeRequestContext, writing: Bool) async throws -> (Principal, Hospital) {
        let principal = try context.requirePrincipal()
        let hospital = try await HospitalRoutes.hospital(context, in: directory)
        let theirs = try await principal.doctorID.asyncFlatMap { try await doctorHospitals.links(of: $0).filter(\.isApproved).map(\.hospitalID) } ?? []
        guard AccessPolicy.mayCareAt(principal, hospital: hospital.id, doctorsHospitals: theirs) else {
            throw APIError.forbidden("Only this hospital's administrators and doctors may do this")
        }
        if writing, let facility, facility != hospital.code {
            throw APIError(status: .forbidden, code: "wrong_facility", detail: "This node serves \(facility); admit to \(hospital.code) at its own nodes")
        }
        return (principal, hospital)
    }
}

struct DischargeForm: Decodable {
    var summary: String?
    var followUp: String?
}

/// An admission as the API shows it, with the patient's name; the clinical details (condition,
/// discharge summary, follow-up) only to doctors — administrators see who occupies a bed and how
/// severe the case is, never the clinical record.
struct AdmissionPayload: ResponseEncodable {
    let id: String
    let hospitalId: String
    let patientId: String
    let patientName: String
    let doctorId: String?
    let condition: String?
    let severity: String
    let department: String?
    let status: String
    let admittedAt: String
    let dischargedAt: String?
    let dischargeSummary: String?
    let followUp: String?

    init(_ admission: Admission, patient: Patient, clinical: Bool = true) {
        id = admission.id.description
        hospitalId = admission.hospitalID.description
        patientId = admission.patientID.description
        patientName = "\(patient.firstName) \(patient.lastName)"
        doctorId = admission.doctorID?.description
        condition = clinical ? admission.condition : nil
        severity = admission.severity.rawValue
        department = admission.department
        status = admission.status.rawValue
        admittedAt = Timestamps.api(admission.admittedAt)
        dischargedAt = admission.dischargedAt.map(Timestamps.api)
        dischargeSummary = clinical ? admission.dischargeSummary : nil
        followUp = clinical ? admission.followUp : nil
    }
}

/// The contract's dashboard fields.
struct DashboardPayload: ResponseEncodable {
    let totalBeds: Int
    let occupiedBeds: Int
    let availableBeds: Int
    let icuBeds: Int
    let emergencyCases: Int
    let criticalPatients: Int
    let totalDoctors: Int
    let activeDoctors: Int

    init(_ dashboard: HospitalDashboard) {
        totalBeds = dashboard.totalBeds
        occupiedBeds = dashboard.occupiedBeds
        availableBeds = dashboard.availableBeds
        icuBeds = dashboard.icuBeds
        emergencyCases = dashboard.emergencyCases
        criticalPatients = dashboard.criticalPatients
        totalDoctors = dashboard.totalDoctors
        activeDoctors = dashboard.activeDoctors
    }
}
