import Domain
import Foundation
import GRDB
import Replication

/// Consents in the replicated `consents` table, each change audited in its own transaction.
struct ConsentRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Records a doctor's request (PENDING).
    func request(_ request: ConsentRequest, by doctor: Doctor.ID, principal: Principal, clientAddress: String?) async throws -> Consent {
        var generator = SystemRandomNumberGenerator()
        let consent = Consent(
            id: Consent.ID(RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator)),
            patientID: request.patientID, doctorID: doctor, facilityName: request.facilityName, requestType: request.requestType,
            description: request.description, status: .pending, requestedAt: clock.now(), decidedAt: nil, expiresAt: nil
        )
        let values: [String: SQLValue] = [
            "patient_id": .text(consent.patientID.description), "doctor_id": .text(doctor.description),
            "facility_name": consent.facilityName.map(SQLValue.text) ?? .null, "request_type": .text(consent.requestType),
            "description": consent.description.map(SQLValue.text) ?? .null, "requested_at": .text(Timestamps.storage(consent.requestedAt)),
            "status": .text(ConsentStatus.pending.rawValue), "decided_at": .null, "expires_at": .null,
        ]
        try await store.write { write in
            try write.insert(into: DomainTables.consents.name, id: consent.id.description, values: values)
            try audit.append(.init(principal, .create, "consent", id: consent.id.description, patient: consent.patientID, clientAddress: clientAddress), in: write)
        }
        return consent
    }

    func consent(id: Consent.ID) async throws -> Consent? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM consents WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.consent)
        }
    }

    /// A patient's consents, newest first, optionally of one status (and only one doctor's).
    func consents(patient: Patient.ID, status: ConsentStatus? = nil, doctor: Doctor.ID? = nil) async throws -> [Consent] {
        try await store.read { db in
            var sql = "SELECT * FROM consents WHERE patient_id = ?"
            var arguments: [String] = [patient.description]
            if let status {
                sql += " AND status = ?"
                arguments.append(status.rawValue)
            }
            if let doctor {
                sql += " AND doctor_id = ?"
                arguments.append(doctor.description)
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY requested_at DESC, id DESC", arguments: StatementArguments(arguments))
                .compactMap(RowMapping.consent)
        }
    }

    /// Every consent naming a doctor, newest first.
    func consents(doctor: Doctor.ID) async throws -> [Consent] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consents WHERE doctor_id = ? ORDER BY requested_at DESC, id DESC", arguments: [doctor.description])
                .compactMap(RowMapping.consent)
        }
    }

    /// Moves a consent to `status` if `ConsentRules` allow it from the status stored now (checked
    /// inside the write, so a decision that raced in first is honoured); an approval may carry its
    /// expiry. Returns the consent as stored; `DomainError.conflict` when the rules refuse.
    func decide(_ consent: Consent, _ status: ConsentStatus, expiresAt: Date?, principal: Principal, clientAddress: String?) async throws -> Consent {
        let now = clock.now()
        var changes: [String: SQLValue] = ["status": .text(status.rawValue), "decided_at": .text(Timestamps.storage(now))]
        if status == .approved { changes["expires_at"] = expiresAt.map { .text(Timestamps.storage($0)) } ?? .null }
        let values = changes
        try await store.write { write in
            let stored = try write.read { db in
                try String.fetchOne(db, sql: "SELECT status FROM consents WHERE id = ?", arguments: [consent.id.description]).flatMap(ConsentStatus.init)
            }
            guard let stored else { throw DomainError.notFound("No such consent") }
            switch ConsentRules.transition(from: stored, to: status) {
            case .move: break
            case .unchanged: return
            case .refused(let reason): throw DomainError.conflict(reason)
            }
            try write.update(DomainTables.consents.name, id: consent.id.description, set: values)
            try audit.append(.init(principal, .update, "consent", id: consent.id.description, patient: consent.patientID, clientAddress: clientAddress), in: write)
        }
        return try await self.consent(id: consent.id) ?? consent
    }

    /// Deletes a consent (a replicated tombstone).
    func delete(_ consent: Consent, principal: Principal, clientAddress: String?) async throws {
        try await store.write { write in
            try write.delete(from: DomainTables.consents.name, id: consent.id.description)
            try audit.append(.init(principal, .delete, "consent", id: consent.id.description, patient: consent.patientID, clientAddress: clientAddress), in: write)
        }
    }

    /// Deletes every consent (demo and development only); returns how many.
    func deleteAll(principal: Principal, clientAddress: String?) async throws -> Int {
        try await store.write { write in
            let rows = try write.read { try Row.fetchAll($0, sql: "SELECT id, patient_id FROM consents") }
            for row in rows {
                let id: String = row["id"]
                try write.delete(from: DomainTables.consents.name, id: id)
                let patient = (row["patient_id"] as String?).flatMap(Patient.ID.init)
                try audit.append(.init(principal, .delete, "consent", id: id, patient: patient, clientAddress: clientAddress), in: write)
            }
            return rows.count
        }
    }
}
