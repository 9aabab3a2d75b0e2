import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Replication

/// `/documents`: medical documents. Uploads stream to disk into the content-addressed blob store
/// (never held whole in memory; over the size limit → 413, and nothing is kept); metadata
/// replicates; downloads stream from disk, fetching the file from a peer first if it has not
/// reached this node yet (verified by its hash).
struct DocumentRoutes {
    let records: MedicalRecordRepository
    let blobs: BlobStore
    /// Brings a document's file from a peer or the hub when it has not reached this node yet.
    let fetcher: BlobFetcher
    let access: PatientDataAccess
    let audit: AuditTrail
    let clock: any PhysicalClock
    /// The largest document accepted, in bytes.
    let maximumBytes: Int

    /// Text fields of an upload are short; more than this is not a form field.
    static let maximumFieldBytes = 4096

    func register(on api: RouteRegistrar) {
        let tag = "Documents"
        let record = APISchemas.named("MedicalRecord")
        api.add(.post, "documents/upload", tag, "Upload a document (multipart: patient_id, title, record_type, date, file)",
                access: .roles([.patient, .doctor]), documented: {
            $0.success = (201, record); $0.errors = [(413, "The file is over the size limit"), (415, "Not multipart/form-data")]
        }, use: upload)
        // One capture name at one place in the path: `{id}` is the patient for the list and the
        // download, the document for the delete (the contract's paths).
        api.add(.get, "documents/{id}", tag, "A patient's documents, by patient id (the patient; a doctor under consent or break-glass)",
                access: .roles([.patient, .doctor]), documented: { $0.success = (200, .array(record)) }, use: list)
        api.add(.get, "documents/{id}/{record_id}/content", tag, "Download a document's bytes (id = the patient's id)",
                access: .roles([.patient, .doctor]), documented: { $0.contentType = "application/octet-stream" }, use: download)
        api.add(.delete, "documents/{id}", tag, "Delete a document, by document id (the patient, or the doctor who uploaded it)",
                access: .roles([.patient, .doctor]), documented: { $0.success = (204, nil) }, use: delete)
    }

    @Sendable func upload(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<MedicalRecordPayload> {
        let principal = try context.requirePrincipal()
        let writer = try blobs.writer(limit: maximumBytes)
        do {
            let form = try await MultipartUpload.receive(request, into: writer, maximumFieldBytes: Self.maximumFieldBytes)
            let upload = try MedicalRecordUpload(
                validating: form.fields, fileName: form.file?.name, contentType: form.file?.type, today: CalendarDate(clock.now())
            )
            _ = try await access.recordable(upload.patientID, by: principal)
            let record = try await records.add(upload, blob: try writer.commit(), principal: principal, clientAddress: context.remoteAddress)
            return EditedResponse(status: .created, response: MedicalRecordPayload(record))
        } catch {
            writer.discard()
            throw error
        }
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> [MedicalRecordPayload] {
        let principal = try context.requirePrincipal()
        let patient = try await access.readable(try Self.patientID(context), by: principal)
        try await audit.record(.init(principal, .read, "medical_records", id: patient.id.description, patient: patient.id, clientAddress: context.remoteAddress))
        return try await records.records(of: patient.id).map(MedicalRecordPayload.init)
    }

    @Sendable func download(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let patient = try await access.readable(try Self.patientID(context), by: principal)
        guard let id = context.parameters.get("record_id").flatMap(MedicalRecord.ID.init), let record = try await records.record(id: id),
              record.patientID == patient.id else { throw APIError.notFound("No such document") }
        guard let path = blobs.path(of: record.sha256), await fetcher.fetch(record.sha256) else {
            throw APIError(status: .notFound, code: "blob_unavailable", detail: "This document's file is not on this node and no peer could send it")
        }
        try await audit.record(.init(principal, .read, "medical_record", id: record.id.description, patient: patient.id, clientAddress: context.remoteAddress))
        let body = try await context.fileBody(at: path)
        let safeName = record.fileName.filter { $0.isASCII && $0 != "\"" }
        return Response(status: .ok, headers: [
            .contentType: record.contentType, .contentLength: String(record.sizeBytes),
            .contentDisposition: "attachment; filename=\"\(safeName.isEmpty ? "document" : safeName)\"",
            HTTPField.Name("X-Checksum-SHA256")!: record.sha256,
        ], body: body)
    }

    @Sendable func delete(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let record = try await records.record(id: try context.pathID("id", of: MedicalRecord.self, name: "document")) else {
            throw APIError.notFound("No such document")
        }
        let mayDelete = AccessPolicy.mayModifyPatientData(principal, patient: record.patientID)
            || (principal.role == .doctor && principal.userID == record.uploadedBy)
        guard mayDelete else { throw APIError.forbidden("Only the patient, or the doctor who uploaded it, deletes a document") }
        try await records.delete(record, principal: principal, clientAddress: context.remoteAddress)
        return Response(status: .noContent)
    }
}

extension DocumentRoutes {
    /// The patient the list and download paths name in `{id}`.
    static func patientID(_ context: EdgeRequestContext) throws -> Patient.ID {
        try context.pathID("id", of: Patient.self, name: "patient")
    }
}

/// A document's metadata as the API shows it.
struct MedicalRecordPayload: ResponseEncodable {
    let id: String
    let patientId: String
    let title: String
    let recordType: String
    let date: String
    let fileName: String
    let contentType: String
    let sizeBytes: Int
    let checksum: String
    let uploadedBy: String
    let uploadedAt: String

    init(_ record: MedicalRecord) {
        id = record.id.description
        patientId = record.patientID.description
        title = record.title
        recordType = record.recordType.rawValue
        date = record.recordDate.description
        fileName = record.fileName
        contentType = record.contentType
        sizeBytes = record.sizeBytes
        checksum = record.sha256
        uploadedBy = record.uploadedBy.description
        uploadedAt = Timestamps.api(record.uploadedAt)
    }
}
