import Domain
import Foundation
import GRDB
import Replication

/// Medical documents' metadata in the replicated `medical_records` table, each change audited.
struct MedicalRecordRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Records an uploaded document whose bytes are already a blob.
    func add(_ upload: MedicalRecordUpload, blob: (sha256: String, size: Int), principal: Principal, clientAddress: String?) async throws -> MedicalRecord {
        var generator = SystemRandomNumberGenerator()
        let record = MedicalRecord(
            id: MedicalRecord.ID(RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator)), patientID: upload.patientID,
            title: upload.title, recordType: upload.recordType, recordDate: upload.recordDate, fileName: upload.fileName,
            contentType: upload.contentType, sizeBytes: blob.size, sha256: blob.sha256, uploadedBy: principal.userID, uploadedAt: clock.now()
        )
        let values: [String: SQLValue] = [
            "patient_id": .text(record.patientID.description), "title": .text(record.title), "record_type": .text(record.recordType.rawValue),
            "record_date": .text(record.recordDate.description), "file_name": .text(record.fileName), "content_type": .text(record.contentType),
            "size_bytes": .integer(Int64(record.sizeBytes)), "sha256": .text(record.sha256), "uploaded_by": .text(record.uploadedBy.description),
            "uploaded_at": .text(Timestamps.storage(record.uploadedAt)),
        ]
        try await store.write { write in
            try write.insert(into: DomainTables.medicalRecords.name, id: record.id.description, values: values)
            try audit.append(.init(principal, .create, "medical_record", id: record.id.description, patient: record.patientID, clientAddress: clientAddress), in: write)
        }
        return record
    }

    func record(id: MedicalRecord.ID) async throws -> MedicalRecord? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM medical_records WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.medicalRecord)
        }
    }

    /// A patient's documents, newest record date first.
    func records(of patient: Patient.ID) async throws -> [MedicalRecord] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM medical_records WHERE patient_id = ? ORDER BY record_date DESC, uploaded_at DESC, id DESC",
                             arguments: [patient.description]).compactMap(RowMapping.medicalRecord)
        }
    }

    /// Deletes a document's metadata (a replicated tombstone), audited.
    func delete(_ record: MedicalRecord, principal: Principal, clientAddress: String?) async throws {
        try await store.write { write in
            try write.delete(from: DomainTables.medicalRecords.name, id: record.id.description)
            try audit.append(.init(principal, .delete, "medical_record", id: record.id.description, patient: record.patientID, clientAddress: clientAddress), in: write)
        }
    }
}
