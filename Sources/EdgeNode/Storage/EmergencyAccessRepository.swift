import Domain
import Foundation
import GRDB
import Replication

/// Break-glass openings, in the replicated append-only `emergency_accesses` set.
struct EmergencyAccessRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Opens read-only emergency access for `EmergencyAccess.duration`, audited with its reason's
    /// record (the reason itself stays in the break-glass row, for the review list).
    func open(
        _ patient: Patient.ID, for doctor: Doctor.ID, reviewedBy hospitals: [Hospital.ID], reason: String, principal: Principal, clientAddress: String?
    ) async throws -> EmergencyAccess {
        var generator = SystemRandomNumberGenerator()
        let now = clock.now()
        let access = EmergencyAccess(
            id: EmergencyAccess.ID(RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator)), patientID: patient,
            doctorID: doctor, reason: reason, openedAt: now, expiresAt: now.addingTimeInterval(EmergencyAccess.duration)
        )
        let values: [String: SQLValue] = [
            "patient_id": .text(patient.description), "doctor_id": .text(doctor.description), "reason": .text(reason),
            "opened_at": .text(Timestamps.storage(access.openedAt)), "expires_at": .text(Timestamps.storage(access.expiresAt)),
            "hospital_ids": RowMapping.jsonList(hospitals.map(\.description)),
        ]
        try await store.write { write in
            try write.append(to: DomainTables.emergencyAccesses.name, id: access.id.description, values: values)
            try audit.append(.init(principal, .create, "break_glass", id: access.id.description, patient: patient, clientAddress: clientAddress), in: write)
        }
        return access
    }

    /// Every break-glass opening on a patient's data, newest first.
    func openings(of patient: Patient.ID, limit: Int) async throws -> [EmergencyAccess] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM emergency_accesses WHERE patient_id = ? ORDER BY opened_at DESC, id DESC LIMIT ?",
                             arguments: [patient.description, limit]).compactMap(RowMapping.emergencyAccess)
        }
    }

    /// A doctor's break-glass openings for a patient.
    func openings(of patient: Patient.ID, by doctor: Doctor.ID) async throws -> [EmergencyAccess] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM emergency_accesses WHERE patient_id = ? AND doctor_id = ?",
                             arguments: [patient.description, doctor.description]).compactMap(RowMapping.emergencyAccess)
        }
    }

    /// Break-glass openings for review, newest first: those by doctors who worked at `hospital`
    /// when they opened them (its admins' list), or all of them (`nil`, SYSTEM_ADMIN's list).
    func openings(forReviewAt hospital: Hospital.ID?, limit: Int) async throws -> [EmergencyAccess] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.* FROM emergency_accesses e
                WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(e.hospital_ids) WHERE value = ?1)
                ORDER BY e.opened_at DESC, e.id DESC LIMIT ?2
                """, arguments: [hospital?.description, limit]).compactMap(RowMapping.emergencyAccess)
        }
    }
}
