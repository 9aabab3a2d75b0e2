import Domain
import Foundation
import GRDB
import Replication

/// Doctors and their accounts, in the replicated `doctors` and `users` tables.
struct DoctorRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Creates a DOCTOR account from the CloudCare sign-up, linked to `hospital` (already looked up
    /// by its code). Throws `DomainError.conflict` for a known email or licence.
    func register(_ registration: DoctorRegistration, hospital: Hospital.ID?, passwordHash: String, clientAddress: String?) async throws -> (User, Doctor) {
        let (user, doctorID) = newAccount(registration.email, license: registration.license, passwordHash: passwordHash)
        let doctor = Doctor(
            id: doctorID, userID: user.id,
            firstName: registration.firstName, lastName: registration.lastName, licenseNumber: registration.license,
            specialization: registration.specialization, phonePrimary: registration.phonePrimary, hospitalID: hospital,
            qualifications: registration.qualifications, experienceYears: registration.experienceYears,
            consultationFee: registration.consultationFee, address: registration.address, createdAt: user.createdAt
        )
        return try await insert(user, doctor, clientAddress: clientAddress)
    }

    /// Creates a DOCTOR account from DocAssist's `/auth/register` (name, phone, optional licence).
    func register(_ registration: DocAssistRegistration, passwordHash: String, clientAddress: String?) async throws -> (User, Doctor) {
        let (user, doctorID) = newAccount(registration.email, license: registration.license, passwordHash: passwordHash)
        let doctor = Doctor(
            id: doctorID, userID: user.id,
            firstName: registration.name, lastName: "", licenseNumber: registration.license, specialization: nil,
            phonePrimary: registration.phone, hospitalID: nil, qualifications: [], experienceYears: nil, consultationFee: nil,
            address: ContactAddress(line1: nil, city: nil, state: nil, postalCode: nil, country: nil), createdAt: user.createdAt
        )
        return try await insert(user, doctor, clientAddress: clientAddress)
    }

    func doctor(id: Doctor.ID) async throws -> Doctor? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM current_doctors WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.doctor)
        }
    }

    /// Changes the fields of a doctor's profile that `update` sends, audited.
    func updateProfile(of doctor: Doctor.ID, _ update: DoctorProfileUpdate, principal: Principal, clientAddress: String?) async throws {
        var changes: [String: SQLValue] = ["updated_at": .text(Timestamps.storage(clock.now()))]
        changes["specialization"] = update.specialization.map(SQLValue.text)
        changes["phone_primary"] = update.phonePrimary.map(SQLValue.text)
        changes["qualifications"] = update.qualifications.map(RowMapping.jsonList)
        changes["experience_years"] = update.experienceYears.map { .integer(Int64($0)) }
        changes["consultation_fee"] = update.consultationFee.map(SQLValue.real)
        for (column, value) in RowMapping.values(of: update.address) where value != .null { changes[column] = value }
        let changed = changes
        try await store.write { write in
            try write.upsert(into: DomainTables.doctorProfiles.name, id: doctor.description, set: changed)
            try audit.append(.init(principal, .update, "doctor_profile", id: doctor.description, clientAddress: clientAddress), in: write)
        }
    }

    /// The doctor profile an account is (the account's own link, which the first registration set).
    func doctor(userID: User.ID) async throws -> Doctor? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT d.* FROM users u JOIN current_doctors d ON d.id = u.doctor_id WHERE u.id = ?", arguments: [userID.description])
                .flatMap(RowMapping.doctor)
        }
    }

    /// A new DOCTOR account and the id of its profile, which its licence (or, without one, the
    /// account) gives.
    private func newAccount(_ email: EmailAddress, license: MedicalLicense?, passwordHash: String) -> (User, Doctor.ID) {
        let id = StableIDs.user(email: email)
        let doctorID = StableIDs.doctor(license: license, user: id)
        return (User(id: id, email: email, passwordHash: passwordHash, role: .doctor, doctorID: doctorID, createdAt: clock.now()), doctorID)
    }

    private func insert(_ user: User, _ doctor: Doctor, clientAddress: String?) async throws -> (User, Doctor) {
        try await store.write { write in
            let known = try write.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM doctors WHERE id = ? OR medical_license_no = ?",
                    arguments: [doctor.id.description, doctor.licenseNumber?.value]
                ) ?? false
            }
            if known { throw DomainError.conflict("A doctor with this licence number is already registered") }
            try AccountRepository.insert(user, in: write)
            try write.insert(into: DomainTables.doctors.name, id: doctor.id.description, values: Self.values(of: doctor))
            if let hospital = doctor.hospitalID {
                try DoctorHospitalRepository.linkAtSignUp(doctor.id, to: hospital, at: doctor.createdAt, in: write)
            }
            let principal = Principal(userID: user.id, role: .doctor, doctorID: doctor.id, hospitalID: doctor.hospitalID)
            try audit.append(.init(principal, .create, "doctor", id: doctor.id.description, clientAddress: clientAddress), in: write)
            return (user, doctor)
        }
    }

    private static func values(of doctor: Doctor) -> [String: SQLValue] {
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        return [
            "user_id": .text(doctor.userID.description), "first_name": .text(doctor.firstName), "last_name": .text(doctor.lastName),
            "medical_license_no": text(doctor.licenseNumber?.value), "specialization": text(doctor.specialization),
            "phone_primary": text(doctor.phonePrimary), "hospital_id": text(doctor.hospitalID?.description),
            "qualifications": RowMapping.jsonList(doctor.qualifications), "experience_years": doctor.experienceYears.map { .integer(Int64($0)) } ?? .null,
            "consultation_fee": doctor.consultationFee.map(SQLValue.real) ?? .null,
            "created_at": .text(Timestamps.storage(doctor.createdAt)),
        ].merging(RowMapping.values(of: doctor.address)) { $1 }
    }
}
