import Domain
import Replication

/// Object-level access to a named patient's data, the one way routes ask: the rules are
/// `AccessPolicy`'s, fed with the consents and break-glass openings that name the caller,
/// evaluated now.
struct PatientDataAccess: Sendable {
    let patients: PatientRepository
    let consents: ConsentRepository
    let emergencies: EmergencyAccessRepository
    let clock: any PhysicalClock

    /// The patient, when `principal` may read their data now: 403 otherwise (before looking the
    /// patient up, so nobody learns who exists), 404 when unknown.
    func readable(_ id: Patient.ID, by principal: Principal) async throws -> Patient {
        _ = try await authorizeReading(id, by: principal)
        return try await existing(id)
    }

    /// As `readable`, for reads that need only the id: the caller's own patient record, or a
    /// consent or opening naming the patient, shows the patient exists without a lookup.
    func readableID(_ id: Patient.ID, by principal: Principal) async throws -> Patient.ID {
        if try await !authorizeReading(id, by: principal) { _ = try await existing(id) }
        return id
    }

    /// 403 unless `principal` may read the patient's data now; returns whether what allowed it
    /// shows the patient exists.
    private func authorizeReading(_ id: Patient.ID, by principal: Principal) async throws -> Bool {
        var grants: [ConsentGrant] = [], emergencies: [EmergencyAccess] = []
        if principal.role == .doctor, let doctor = principal.doctorID {
            grants = try await consents.consents(patient: id, doctor: doctor).map(\.grant)
            emergencies = try await self.emergencies.openings(of: id, by: doctor)
        }
        guard AccessPolicy.mayReadPatientData(principal, patient: id, consents: grants, emergencies: emergencies, at: clock.now()) else {
            throw APIError.forbidden("No access to this patient's data: the patient has not approved a consent for you, or it has ended")
        }
        return principal.patientID == id || !grants.isEmpty || !emergencies.isEmpty
    }

    /// The patient, when `principal` may add a document to their records (the patient, or a
    /// doctor under a consent in force): 403 otherwise.
    func recordable(_ id: Patient.ID, by principal: Principal) async throws -> Patient {
        let grants = principal.role == .doctor ? try await consents.consents(patient: id, doctor: principal.doctorID).map(\.grant) : []
        guard AccessPolicy.mayAddRecord(principal, patient: id, consents: grants, at: clock.now()) else {
            throw APIError.forbidden("Only the patient, or a doctor the patient has approved, adds documents")
        }
        return try await existing(id)
    }

    /// The patient, when `principal` may change their data (the patient): 403 otherwise.
    func modifiable(_ id: Patient.ID, by principal: Principal) async throws -> Patient {
        guard AccessPolicy.mayModifyPatientData(principal, patient: id) else {
            throw APIError.forbidden("Only the patient may change this")
        }
        return try await existing(id)
    }

    private func existing(_ id: Patient.ID) async throws -> Patient {
        guard let patient = try await patients.patient(id: id) else { throw APIError.notFound("No such patient") }
        return patient
    }
}
