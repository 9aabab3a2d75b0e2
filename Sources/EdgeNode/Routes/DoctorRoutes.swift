import Domain
import Foundation
import Hummingbird
import Replication

/// `/doctors/{id}`: a doctor's professional profile, their patients (derived from consents: a
/// locked patient shows the name only), and giving a patient up.
struct DoctorRoutes {
    let doctors: DoctorRepository
    let patients: PatientRepository
    let consents: ConsentRepository
    let doctorHospitals: DoctorHospitalRepository
    let admissions: AdmissionRepository
    let directory: HospitalDirectory
    let audit: AuditTrail
    let clock: any PhysicalClock

    func register(on api: RouteRegistrar) {
        let tag = "Doctors"
        api.add(.get, "doctors/{doctor_id}/profile", tag, "A doctor's professional profile (contact details to the doctor only)",
                access: .signedIn, documented: { $0.success = (200, APISchemas.named("DoctorProfile")) }, use: profile)
        api.add(.post, "doctors/{doctor_id}/profile", tag, "Change the doctor's own profile; only the fields sent change (the doctor)",
                access: .roles([.doctor]), documented: {
            $0.body = .object([
                ("specialization", .string), ("phone_primary", .string), ("qualifications", .array(.string)), ("experience_years", .integer),
                ("consultation_fee", .number), ("address_line1", .string), ("city", .string), ("state", .string), ("postal_code", .string), ("country", .string),
            ])
            $0.success = (200, APISchemas.named("DoctorProfile"))
        }, use: updateProfile)
        api.add(.get, "doctors/{doctor_id}/patients", tag, "The doctor's patients, from consents: LOCKED shows the name only",
                access: .roles([.doctor]), documented: { $0.success = (200, .array(APISchemas.named("DoctorPatient"))) }, use: patientList)
        api.add(.get, "doctors/{doctor_id}/hospitals", tag, "The hospitals a doctor works at (the primary first)", access: .signedIn,
                documented: { $0.success = (200, .array(APISchemas.named("DoctorHospital"))) }, use: hospitals)
        api.add(.post, "doctors/{doctor_id}/hospitals", tag, "Set the doctor's hospitals and the primary one (the doctor)",
                access: .roles([.doctor]), documented: {
            $0.body = APISchemas.named("DoctorHospitalsUpdate"); $0.success = (200, .array(APISchemas.named("DoctorHospital")))
        }, use: setHospitals)
        api.add(.delete, "doctors/{doctor_id}/patients/{patient_id}", tag, "Give a patient up: revokes the doctor's consents for them",
                access: .roles([.doctor]), documented: { $0.success = (204, nil) }, use: removePatient)
    }

    @Sendable func profile(_ request: Request, context: EdgeRequestContext) async throws -> DoctorProfilePayload {
        let principal = try context.requirePrincipal()
        guard let doctor = try await doctors.doctor(id: try context.pathID("doctor_id", of: Doctor.self, name: "doctor")) else {
            throw APIError.notFound("No such doctor")
        }
        let primary = try await doctorHospitals.links(of: doctor.id).first?.hospitalID
        let hospital = try await primary.asyncFlatMap(directory.hospital(id:))
        return DoctorProfilePayload(doctor, hospital: hospital, withContact: principal.doctorID == doctor.id)
    }

    @Sendable func updateProfile(_ request: Request, context: EdgeRequestContext) async throws -> DoctorProfilePayload {
        let (principal, doctor) = try ownDoctor(context)
        var request = request
        let update = try DoctorProfileUpdate(validating: try await request.decodeJSON(as: DoctorProfileForm.self, context: context))
        try await doctors.updateProfile(of: doctor, update, principal: principal, clientAddress: context.remoteAddress)
        return try await profile(request, context: context)
    }

    @Sendable func patientList(_ request: Request, context: EdgeRequestContext) async throws -> [DoctorPatientPayload] {
        let (principal, doctor) = try ownDoctor(context)
        let now = clock.now(), today = CalendarDate(now)
        var byPatient: [Patient.ID: [Consent]] = [:]
        for consent in try await consents.consents(doctor: doctor) { byPatient[consent.patientID, default: []].append(consent) }
        var list: [DoctorPatientPayload] = []
        for (patientID, theirs) in byPatient {
            guard let patient = try await patients.patient(id: patientID) else { continue }
            let active = theirs.first { $0.grant.isInForce(at: now) }
            var admission: Admission?
            if active != nil {
                try await audit.record(.init(principal, .read, "patient_summary", id: patientID.description, patient: patientID, clientAddress: context.remoteAddress))
                admission = try await admissions.admissions(patient: patientID, limit: 20).first { $0.status == .admitted }
            }
            list.append(DoctorPatientPayload(patient, activeConsent: active, admission: admission, today: today))
        }
        return list.sorted { ($0.patientName, $0.patientId) < ($1.patientName, $1.patientId) }
    }

    @Sendable func removePatient(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let (principal, doctor) = try ownDoctor(context)
        let patient = try PatientRoutes.patientID(context)
        let now = clock.now()
        let live = try await consents.consents(patient: patient, doctor: doctor).filter { ConsentRules.canRevoke($0, at: now) }
        guard !live.isEmpty else { throw APIError.notFound("You have no pending or active consent for this patient") }
        for consent in live {
            _ = try await consents.decide(consent, .revoked, expiresAt: nil, principal: principal, clientAddress: context.remoteAddress)
        }
        return Response(status: .noContent)
    }

    @Sendable func hospitals(_ request: Request, context: EdgeRequestContext) async throws -> [DoctorHospitalPayload] {
        let id = try context.pathID("doctor_id", of: Doctor.self, name: "doctor")
        guard try await doctors.doctor(id: id) != nil else { throw APIError.notFound("No such doctor") }
        return try await hospitalList(of: id)
    }

    @Sendable func setHospitals(_ request: Request, context: EdgeRequestContext) async throws -> [DoctorHospitalPayload] {
        let (principal, doctor) = try ownDoctor(context)
        var request = request
        let wanted = try DoctorHospitals(validating: try await request.decodeJSON(as: DoctorHospitalsForm.self, context: context))
        for id in wanted.hospitalIDs where try await directory.hospital(id: id) == nil {
            throw APIError.unprocessable([.init(field: "hospital_ids", message: "names no hospital with the id \(id)")])
        }
        try await doctorHospitals.set(wanted, of: doctor, principal: principal, clientAddress: context.remoteAddress)
        return try await hospitalList(of: doctor)
    }

    private func hospitalList(of doctor: Doctor.ID) async throws -> [DoctorHospitalPayload] {
        var list: [DoctorHospitalPayload] = []
        for link in try await doctorHospitals.links(of: doctor) {
            guard let hospital = try await directory.hospital(id: link.hospitalID) else { continue }
            list.append(DoctorHospitalPayload(link, hospital: hospital))
        }
        return list
    }

    /// The caller, who must be the doctor the path names.
    private func ownDoctor(_ context: EdgeRequestContext) throws -> (Principal, Doctor.ID) {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("doctor_id").flatMap(Doctor.ID.init), let own = principal.doctorID, id == own else {
            throw APIError.forbidden("A doctor sees and manages only their own patients and profile")
        }
        return (principal, own)
    }
}

/// A doctor's profile (with their primary hospital); phone and city only for the doctor themselves.
struct DoctorProfilePayload: ResponseEncodable {
    let id: String
    let firstName: String
    let lastName: String
    let specialization: String?
    let medicalLicenseNo: String?
    let qualifications: [String]
    let experienceYears: Int?
    let consultationFee: Double?
    let hospitalId: String?
    let hospitalName: String?
    let hospitalCode: String?
    let phonePrimary: String?
    let city: String?

    init(_ doctor: Doctor, hospital: Hospital?, withContact: Bool) {
        id = doctor.id.description
        firstName = doctor.firstName
        lastName = doctor.lastName
        specialization = doctor.specialization
        medicalLicenseNo = doctor.licenseNumber?.value
        qualifications = doctor.qualifications
        experienceYears = doctor.experienceYears
        consultationFee = doctor.consultationFee
        hospitalId = hospital?.id.description
        hospitalName = hospital?.name
        hospitalCode = hospital?.code.value
        phonePrimary = withContact ? doctor.phonePrimary : nil
        city = withContact ? doctor.address.city : nil
    }
}

/// One of a doctor's patients: LOCKED shows the name only; with a consent in force (ACTIVE, or
/// STABLE/MONITORING/CRITICAL while admitted) the details a doctor's app lists — the condition is
/// the current admission's (else the consent's description), the emergency flag a HIGH or
/// CRITICAL admission. Appointments are not kept: `next_appointment` is always null.
struct DoctorPatientPayload: ResponseEncodable {
    let patientId: String
    let patientName: String
    let status: String
    let age: Int?
    let gender: String?
    let bloodGroup: String?
    let phone: String?
    let condition: String?
    let nextAppointment: String?
    let emergencyFlag: Bool

    init(_ patient: Patient, activeConsent: Consent?, admission: Admission?, today: CalendarDate) {
        patientId = patient.id.description
        patientName = "\(patient.firstName) \(patient.lastName)"
        let active = activeConsent != nil
        status = DoctorPatientStatus(consentInForce: active, currentAdmission: admission).rawValue
        age = active ? patient.dateOfBirth.years(until: today) : nil
        gender = active ? patient.gender.rawValue : nil
        bloodGroup = active ? patient.bloodGroup?.rawValue : nil
        phone = active ? patient.phonePrimary : nil
        condition = active ? admission?.condition ?? activeConsent?.description : nil
        nextAppointment = nil
        emergencyFlag = active && admission?.severity.isEmergency == true
    }
}

/// One of a doctor's hospitals, as the contract shows it.
struct DoctorHospitalPayload: ResponseEncodable {
    let hospitalId: String
    let hospitalName: String
    let hospitalCode: String
    let isPrimary: Bool
    let isApproved: Bool
    let joinedAt: String

    init(_ link: DoctorHospitalLink, hospital: Hospital) {
        hospitalId = hospital.id.description
        hospitalName = hospital.name
        hospitalCode = hospital.code.value
        isPrimary = link.isPrimary
        isApproved = link.isApproved
        joinedAt = Timestamps.api(link.joinedAt)
    }
}
