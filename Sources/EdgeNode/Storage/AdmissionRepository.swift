import Domain
import Foundation
import GRDB
import Replication

/// Admissions and discharges, in the replicated `admissions` table, each audited with its patient.
struct AdmissionRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Admits a patient; `DomainError.conflict` when they are already admitted here.
    func admit(_ request: AdmissionRequest, to hospital: Hospital.ID, principal: Principal, clientAddress: String?) async throws -> Admission {
        var generator = SystemRandomNumberGenerator()
        let admission = Admission(
            id: Admission.ID(RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator)), hospitalID: hospital,
            patientID: request.patientID, doctorID: request.doctorID, condition: request.condition, severity: request.severity,
            department: request.department, status: .admitted, admittedAt: clock.now(), dischargedAt: nil, dischargeSummary: nil, followUp: nil
        )
        let values: [String: SQLValue] = [
            "hospital_id": .text(hospital.description), "patient_id": .text(request.patientID.description),
            "doctor_id": request.doctorID.map { .text($0.description) } ?? .null, "condition": .text(request.condition),
            "severity": .text(request.severity.rawValue), "department": request.department.map(SQLValue.text) ?? .null,
            "admitted_at": .text(Timestamps.storage(admission.admittedAt)), "status": .text(Admission.Status.admitted.rawValue),
        ]
        try await store.write { write in
            let already = try write.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM admissions WHERE hospital_id = ? AND patient_id = ? AND status = 'ADMITTED'",
                                  arguments: [hospital.description, request.patientID.description]) ?? false
            }
            if already { throw DomainError.conflict("This patient is already admitted here") }
            try write.insert(into: DomainTables.admissions.name, id: admission.id.description, values: values)
            try audit.append(.init(principal, .create, "admission", id: admission.id.description, patient: request.patientID, clientAddress: clientAddress), in: write)
        }
        return admission
    }

    /// The patient's current admission at a hospital.
    func current(_ patient: Patient.ID, at hospital: Hospital.ID) async throws -> Admission? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM admissions WHERE hospital_id = ? AND patient_id = ? AND status = 'ADMITTED' ORDER BY admitted_at DESC",
                             arguments: [hospital.description, patient.description]).flatMap(RowMapping.admission)
        }
    }

    /// A hospital's admissions of one status, newest first.
    func admissions(at hospital: Hospital.ID, status: Admission.Status) async throws -> [Admission] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM admissions WHERE hospital_id = ? AND status = ? ORDER BY admitted_at DESC, id DESC",
                             arguments: [hospital.description, status.rawValue]).compactMap(RowMapping.admission)
        }
    }

    /// The admissions naming a doctor, or of a patient, newest first (for notifications).
    func admissions(doctor: Doctor.ID? = nil, patient: Patient.ID? = nil, limit: Int) async throws -> [Admission] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM admissions WHERE (?1 IS NULL OR doctor_id = ?1) AND (?2 IS NULL OR patient_id = ?2)
                ORDER BY admitted_at DESC, id DESC LIMIT ?3
                """, arguments: [doctor?.description, patient?.description, limit]).compactMap(RowMapping.admission)
        }
    }

    /// Discharges, with an optional summary and follow-up.
    func discharge(_ admission: Admission, summary: String?, followUp: String?, principal: Principal, clientAddress: String?) async throws -> Admission {
        let now = clock.now()
        var discharged = admission
        discharged.status = .discharged
        discharged.dischargedAt = now
        discharged.dischargeSummary = summary
        discharged.followUp = followUp
        let values: [String: SQLValue] = [
            "status": .text(Admission.Status.discharged.rawValue), "discharged_at": .text(Timestamps.storage(now)),
            "discharge_summary": summary.map(SQLValue.text) ?? .null, "follow_up": followUp.map(SQLValue.text) ?? .null,
        ]
        try await store.write { write in
            try write.update(DomainTables.admissions.name, id: admission.id.description, set: values)
            try audit.append(.init(principal, .update, "admission", id: admission.id.description, patient: admission.patientID, clientAddress: clientAddress), in: write)
        }
        return discharged
    }
}
