import Domain
import Foundation
import GRDB
import Replication

/// Patients and their accounts, in the replicated `patients` and `users` tables.
struct PatientRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Creates a PATIENT account and its patient record in one replicated transaction, with its
    /// audit entry. `aadhar` is the UID and the sealed number, never the number itself.
    ///
    /// - Throws: `DomainError.conflict` when the email has an account or the Aadhaar a patient.
    func register(
        _ registration: PatientRegistration, passwordHash: String, aadhar: (uid: String, sealed: String), clientAddress: String?
    ) async throws -> (User, Patient) {
        let now = clock.now()
        let userID = StableIDs.user(email: registration.email), patientID = StableIDs.patient(aadharUID: aadhar.uid)
        let user = User(
            id: userID, email: registration.email, passwordHash: passwordHash, role: .patient, patientID: patientID, createdAt: now
        )
        let patient = Patient(
            id: patientID, userID: user.id, aadharUID: aadhar.uid,
            firstName: registration.firstName, lastName: registration.lastName, dateOfBirth: registration.dateOfBirth,
            gender: registration.gender, bloodGroup: registration.bloodGroup, phonePrimary: registration.phonePrimary,
            emergencyContact: registration.emergencyContact, address: registration.address, createdAt: now
        )
        return try await store.write { write in
            let known = try write.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ? OR aadhar_uid = ?", arguments: [patient.id.description, aadhar.uid]) ?? false
            }
            if known { throw DomainError.conflict("A patient with this Aadhaar number is already registered") }
            try AccountRepository.insert(user, in: write)
            var values = Self.values(of: patient)
            values["aadhar_encrypted"] = .text(aadhar.sealed)
            try write.insert(into: DomainTables.patients.name, id: patient.id.description, values: values)
            // The medical profile exists from the start, so later edits only ever touch the fields
            // they change (edits of different fields at two nodes then both survive).
            try write.insert(into: DomainTables.patientProfiles.name, id: patient.id.description, values: Self.emptyProfile(at: now))
            let principal = Principal(userID: user.id, role: .patient, patientID: patient.id)
            try audit.append(.init(principal, .create, "patient", id: patient.id.description, clientAddress: clientAddress), in: write)
            return (user, patient)
        }
    }

    /// The patient record an account is (the account's own link, which the first registration set).
    func patient(userID: User.ID) async throws -> Patient? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT p.* FROM users u JOIN patients p ON p.id = u.patient_id WHERE u.id = ?", arguments: [userID.description])
                .flatMap(RowMapping.patient)
        }
    }

    /// Records a request for a patient's records at a facility not on the network yet, audited.
    func requestRecords(of patient: Patient.ID, _ lookup: RecordLookup, principal: Principal, clientAddress: String?) async throws -> (id: String, at: Date) {
        var generator = SystemRandomNumberGenerator()
        let id = RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator).uuidString.lowercased(), now = clock.now()
        let values: [String: SQLValue] = [
            "aadhar_uid": .text(lookup.aadharUID), "patient_id": .text(patient.description), "facility_name": .text(lookup.facilityName),
            "requested_by": .text(principal.userID.description), "requested_at": .text(Timestamps.storage(now)),
        ]
        try await store.write { write in
            try write.append(to: DomainTables.recordLookups.name, id: id, values: values)
            try audit.append(.init(principal, .create, "record_lookup", id: id, patient: patient, clientAddress: clientAddress), in: write)
        }
        return (id, now)
    }

    func patient(id: Patient.ID) async throws -> Patient? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM patients WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.patient)
        }
    }

    /// A patient's medical profile (empty until first edited).
    func medicalProfile(of patient: Patient.ID) async throws -> MedicalProfile {
        try await store.read { db in
            RowMapping.medicalProfile(try Row.fetchOne(db, sql: "SELECT * FROM patient_profiles WHERE id = ?", arguments: [patient.description]))
        }
    }

    /// The account email of a patient record's owner.
    func email(of patient: Patient) async throws -> String? {
        try await store.read { db in
            try String.fetchOne(db, sql: "SELECT email FROM users WHERE id = ?", arguments: [patient.userID.description])
        }
    }

    /// Changes the fields `update` names, field by field (concurrent edits of other fields at
    /// other nodes survive), with its audit entry.
    func updateMedicalProfile(of patient: Patient.ID, _ update: MedicalProfileUpdate, principal: Principal, clientAddress: String?) async throws {
        func list(_ values: [String]?) -> SQLValue? { values.map(RowMapping.jsonList) }
        var changes: [String: SQLValue] = ["updated_at": .text(Timestamps.storage(clock.now()))]
        let fields = update.fields
        changes["allergies"] = list(fields.allergies)
        changes["chronic_conditions"] = list(fields.chronicConditions)
        changes["current_medications"] = list(fields.currentMedications)
        changes["insurance_provider"] = fields.insuranceProvider.map(SQLValue.text)
        changes["insurance_policy_no"] = fields.insurancePolicyNo.map(SQLValue.text)
        changes["weight_kg"] = fields.weightKg.map(SQLValue.real)
        changes["height_cm"] = fields.heightCm.map(SQLValue.real)
        let table = DomainTables.patientProfiles.name, id = patient.description, now = clock.now(), changed = changes
        try await store.write { write in
            let exists = try write.read { try Bool.fetchOne($0, sql: "SELECT 1 FROM patient_profiles WHERE id = ?", arguments: [id]) ?? false }
            if !exists { try write.insert(into: table, id: id, values: Self.emptyProfile(at: now)) }
            try write.update(table, id: id, set: changed)
            try audit.append(.init(principal, .update, "patient_profile", id: id, patient: patient, clientAddress: clientAddress), in: write)
        }
    }

    private static func emptyProfile(at time: Date) -> [String: SQLValue] {
        ["allergies": .text("[]"), "chronic_conditions": .text("[]"), "current_medications": .text("[]"), "updated_at": .text(Timestamps.storage(time))]
    }

    private static func values(of patient: Patient) -> [String: SQLValue] {
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        return [
            "user_id": .text(patient.userID.description), "aadhar_uid": .text(patient.aadharUID),
            "first_name": .text(patient.firstName), "last_name": .text(patient.lastName),
            "date_of_birth": .text(patient.dateOfBirth.description), "gender": .text(patient.gender.rawValue),
            "blood_group": text(patient.bloodGroup?.rawValue), "phone_primary": .text(patient.phonePrimary),
            "emergency_contact_name": text(patient.emergencyContact?.name), "emergency_contact_phone": text(patient.emergencyContact?.phone),
            "emergency_contact_relation": text(patient.emergencyContact?.relation),
            "created_at": .text(Timestamps.storage(patient.createdAt)),
        ].merging(RowMapping.values(of: patient.address)) { $1 }
    }
}
