import Domain
import Foundation
import Hummingbird
import Replication

/// `/patients/{id}/profile`: the patient's record and medical profile — read by the patient or a
/// doctor under consent, changed by the patient; every access audited.
struct PatientRoutes {
    let patients: PatientRepository
    let access: PatientDataAccess
    let audit: AuditTrail
    let clock: any PhysicalClock

    func register(on api: RouteRegistrar) {
        let tag = "Patients"
        api.add(.post, "patients/lookup-records", tag, "Ask for a patient's records at a facility not on the network yet (by Aadhaar UID)",
                access: .roles([.patient, .doctor]), documented: {
            $0.body = .object([("aadhar_uid", .string), ("facility_name", .string)], required: ["aadhar_uid", "facility_name"])
            $0.success = (201, .object([
                ("id", .formatted("uuid")), ("aadhar_uid", .string), ("patient_id", .formatted("uuid")), ("facility_name", .string),
                ("status", .oneOf(["PENDING"])), ("requested_at", .formatted("date-time")),
            ]))
        }, use: lookupRecords)
        api.add(.get, "patients/{patient_id}/profile", tag, "A patient's profile (the patient; a doctor under an approved consent)",
                access: .roles([.patient, .doctor]), documented: { $0.success = (200, APISchemas.named("PatientProfile")) }, use: profile)
        api.add(.post, "patients/{patient_id}/profile", tag, "Update the medical profile (the patient); only the fields sent change",
                access: .roles([.patient]), documented: {
            $0.body = APISchemas.named("MedicalProfileUpdate"); $0.success = (200, APISchemas.named("PatientProfile"))
        }, use: updateProfile)
    }

    @Sendable func profile(_ request: Request, context: EdgeRequestContext) async throws -> PatientProfilePayload {
        let principal = try context.requirePrincipal()
        let patient = try await access.readable(try Self.patientID(context), by: principal)
        try await audit.record(.init(principal, .read, "patient_profile", id: patient.id.description, patient: patient.id, clientAddress: context.remoteAddress))
        return try await payload(patient)
    }

    @Sendable func updateProfile(_ request: Request, context: EdgeRequestContext) async throws -> PatientProfilePayload {
        let principal = try context.requirePrincipal()
        let patient = try await access.modifiable(try Self.patientID(context), by: principal)
        var request = request
        let update = try MedicalProfileUpdate(validating: try await request.decodeJSON(as: MedicalProfileForm.self, context: context))
        try await patients.updateMedicalProfile(of: patient.id, update, principal: principal, clientAddress: context.remoteAddress)
        return try await payload(patient)
    }

    /// `POST /patients/lookup-records`: the patient for themselves, or a doctor with access to the
    /// patient the UID names (consent or break-glass).
    @Sendable func lookupRecords(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<RecordLookupPayload> {
        let principal = try context.requirePrincipal()
        var request = request
        let lookup = try RecordLookup(validating: try await request.decodeJSON(as: RecordLookupForm.self, context: context))
        let patient = try await access.readable(StableIDs.patient(aadharUID: lookup.aadharUID), by: principal)
        let (id, at) = try await patients.requestRecords(of: patient.id, lookup, principal: principal, clientAddress: context.remoteAddress)
        return EditedResponse(status: .created, response: RecordLookupPayload(
            id: id, aadharUid: lookup.aadharUID, patientId: patient.id.description, facilityName: lookup.facilityName,
            status: "PENDING", requestedAt: Timestamps.api(at)
        ))
    }

    static func patientID(_ context: EdgeRequestContext) throws -> Patient.ID {
        try context.pathID("patient_id", of: Patient.self, name: "patient")
    }

    private func payload(_ patient: Patient) async throws -> PatientProfilePayload {
        try await PatientProfilePayload(patient, from: patients, today: CalendarDate(clock.now()))
    }
}

/// A patient's profile as the contract shows it: identity, contact and medical profile, age computed.
struct PatientProfilePayload: ResponseEncodable {
    let id: String
    let firstName: String
    let lastName: String
    let dateOfBirth: String
    let age: Int
    let gender: String
    let bloodGroup: String?
    let phonePrimary: String
    let email: String?
    let addressLine1: String?
    let city: String?
    let state: String?
    let postalCode: String?
    let country: String?
    let emergencyContactName: String?
    let emergencyContactPhone: String?
    let emergencyContactRelation: String?
    let allergies: [String]
    let chronicConditions: [String]
    let currentMedications: [String]
    let insuranceProvider: String?
    let insurancePolicyNo: String?
    let weightKg: Double?
    let heightCm: Double?

    /// The patient's profile, with the account's email and the medical profile read from `patients`.
    init(_ patient: Patient, from patients: PatientRepository, today: CalendarDate) async throws {
        self.init(patient, email: try await patients.email(of: patient), medical: try await patients.medicalProfile(of: patient.id), today: today)
    }

    init(_ patient: Patient, email: String?, medical: MedicalProfile, today: CalendarDate) {
        id = patient.id.description
        firstName = patient.firstName
        lastName = patient.lastName
        dateOfBirth = patient.dateOfBirth.description
        age = patient.dateOfBirth.years(until: today)
        gender = patient.gender.rawValue
        bloodGroup = patient.bloodGroup?.rawValue
        phonePrimary = patient.phonePrimary
        self.email = email
        addressLine1 = patient.address.line1
        city = patient.address.city
        state = patient.address.state
        postalCode = patient.address.postalCode
        country = patient.address.country
        emergencyContactName = patient.emergencyContact?.name
        emergencyContactPhone = patient.emergencyContact?.phone
        emergencyContactRelation = patient.emergencyContact?.relation
        allergies = medical.allergies
        chronicConditions = medical.chronicConditions
        currentMedications = medical.currentMedications
        insuranceProvider = medical.insuranceProvider
        insurancePolicyNo = medical.insurancePolicyNo
        weightKg = medical.weightKg
        heightCm = medical.heightCm
    }
}

/// A recorded request for records held elsewhere.
struct RecordLookupPayload: ResponseEncodable {
    let id: String
    let aadharUid: String
    let patientId: String
    let facilityName: String
    let status: String
    let requestedAt: String
}
