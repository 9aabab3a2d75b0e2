import Domain
import Foundation
import GRDB
import Replication

/// Accounts and the facilities they administer, in the replicated `users` and `hospitals` tables.
struct AccountRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock

    private var audit: AuditTrail { AuditTrail(store: store, clock: clock) }

    /// Creates a hospital and its HOSPITAL_ADMIN account in one replicated transaction, with its
    /// audit entry.
    ///
    /// - Parameters:
    ///   - code: a fixed hospital code (demo data); otherwise a fresh random one, unique here.
    ///   - hospitalID: a fixed id (demo data); otherwise a time-ordered one.
    /// - Throws: `DomainError.conflict` when the email already has an account.
    func registerHospital(
        _ registration: HospitalRegistration, passwordHash: String,
        code fixedCode: HospitalCode? = nil, hospitalID fixedID: Hospital.ID? = nil, clientAddress: String? = nil
    ) async throws -> (User, Hospital) {
        let now = clock.now()
        var idGenerator = SystemRandomNumberGenerator()
        let hospitalID = fixedID ?? Hospital.ID(RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &idGenerator))
        let user = User(
            id: StableIDs.user(email: registration.email), email: registration.email, passwordHash: passwordHash,
            role: .hospitalAdmin, hospitalID: hospitalID, createdAt: now
        )
        return try await store.write { write in
            var generator = SystemRandomNumberGenerator()
            var code = fixedCode ?? HospitalCode.random(using: &generator)
            while fixedCode == nil, try write.read({ try Bool.fetchOne($0, sql: "SELECT 1 FROM hospitals WHERE hospital_code = ?", arguments: [code.value]) ?? false }) {
                code = HospitalCode.random(using: &generator)
            }
            let hospital = Hospital(
                id: hospitalID, code: code, name: registration.name, email: registration.email,
                facilityType: registration.facilityType, phonePrimary: registration.phonePrimary,
                phoneEmergency: registration.phoneEmergency, address: registration.address,
                capacity: registration.capacity, services: registration.services, createdAt: now
            )
            try write.insert(into: DomainTables.hospitals.name, id: hospital.id.description, values: Self.values(of: hospital, admin: user.id))
            try Self.insert(user, in: write)
            let admin = Principal(userID: user.id, role: .hospitalAdmin, hospitalID: hospital.id)
            try audit.append(.init(admin, .create, "hospital", id: hospital.id.description, clientAddress: clientAddress), in: write)
            return (user, hospital)
        }
    }

    /// Creates a SYSTEM_ADMIN account (audited, with the operator's address). Throws
    /// `DomainError.conflict` when the email has an account.
    func createSystemAdmin(_ registration: SystemAdminRegistration, passwordHash: String, clientAddress: String?) async throws -> User {
        let user = User(
            id: StableIDs.user(email: registration.email), email: registration.email, passwordHash: passwordHash,
            role: .systemAdmin, createdAt: clock.now()
        )
        return try await store.write { write in
            try Self.insert(user, in: write)
            try audit.append(.init(nil, .create, "account", id: user.id.description, clientAddress: clientAddress), in: write)
            return user
        }
    }

    func user(id: User.ID) async throws -> User? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.user)
        }
    }

    func user(email: EmailAddress) async throws -> User? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email = ?", arguments: [email.value]).flatMap(RowMapping.user)
        }
    }

    /// The caller behind a verified access token, with the objects its account is: `nil` when the
    /// account is unknown here or deactivated.
    func principal(userID: User.ID) async throws -> Principal? {
        try await store.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.role, u.is_active, u.hospital_id, u.patient_id, u.doctor_id, d.hospital_id AS doctor_hospital_id
                FROM users u LEFT JOIN doctors d ON d.id = u.doctor_id
                WHERE u.id = ?
                """, arguments: [userID.description]),
                  row["is_active"] as Bool, let role = UserRole(rawValue: row["role"]) else { return nil }
            return Principal(
                userID: userID, role: role,
                patientID: (row["patient_id"] as String?).flatMap(Patient.ID.init),
                doctorID: (row["doctor_id"] as String?).flatMap(Doctor.ID.init),
                hospitalID: ((row["hospital_id"] as String?) ?? (row["doctor_hospital_id"] as String?)).flatMap(Hospital.ID.init)
            )
        }
    }

    /// Inserts a new account inside an open write; `DomainError.conflict` when the email has one.
    static func insert(_ user: User, in write: ReplicatedWrite) throws {
        let taken = try write.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ? OR email = ?", arguments: [user.id.description, user.email.value]) ?? false
        }
        if taken { throw DomainError.conflict("An account with this email already exists") }
        try write.insert(into: DomainTables.users.name, id: user.id.description, values: values(of: user))
    }

    private static func values(of user: User) -> [String: SQLValue] {
        [
            "email": .text(user.email.value), "password_hash": .text(user.passwordHash), "role": .text(user.role.rawValue),
            "is_active": .integer(user.isActive ? 1 : 0), "hospital_id": user.hospitalID.map { .text($0.description) } ?? .null,
            "patient_id": user.patientID.map { .text($0.description) } ?? .null,
            "doctor_id": user.doctorID.map { .text($0.description) } ?? .null,
            "created_at": .text(Timestamps.storage(user.createdAt)),
        ]
    }

    private static func values(of hospital: Hospital, admin: User.ID) -> [String: SQLValue] {
        func flag(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
        func count(_ value: Int) -> SQLValue { .integer(Int64(value)) }
        return [
            "hospital_code": .text(hospital.code.value), "name": .text(hospital.name), "email": .text(hospital.email.value),
            "facility_type": .text(hospital.facilityType.rawValue), "phone_primary": .text(hospital.phonePrimary),
            "phone_emergency": hospital.phoneEmergency.map(SQLValue.text) ?? .null,
            "address_line1": .text(hospital.address.line1), "city": .text(hospital.address.city),
            "state": .text(hospital.address.state), "postal_code": .text(hospital.address.postalCode),
            "country": .text(hospital.address.country),
            "total_beds": count(hospital.capacity.totalBeds), "icu_beds": count(hospital.capacity.icuBeds),
            "emergency_beds": count(hospital.capacity.emergencyBeds), "operation_theatres": count(hospital.capacity.operationTheatres),
            "has_emergency": flag(hospital.services.emergency), "has_ambulance": flag(hospital.services.ambulance),
            "has_pharmacy": flag(hospital.services.pharmacy), "has_lab": flag(hospital.services.lab),
            "has_blood_bank": flag(hospital.services.bloodBank), "is_active": flag(hospital.isActive),
            "admin_user_id": .text(admin.description), "created_at": .text(Timestamps.storage(hospital.createdAt)),
        ]
    }
}
