import Foundation

/// A medical document's metadata; the bytes live in the content-addressed blob store under
/// `sha256`. Deleting a record is a replicated tombstone.
public struct MedicalRecord: Sendable, Equatable {
    public typealias ID = Identifier<MedicalRecord>

    /// The kinds of document, spelled as the contract spells them.
    public enum RecordType: String, Sendable, CaseIterable {
        case labReport = "LAB_REPORT"
        case prescription = "PRESCRIPTION"
        case general = "GENERAL"
        case consultation = "CONSULTATION"
        case imaging = "IMAGING"
    }

    public let id: ID
    public let patientID: Patient.ID
    public let title: String
    public let recordType: RecordType
    public let recordDate: CalendarDate
    public let fileName: String
    public let contentType: String
    public let sizeBytes: Int
    public let sha256: String
    public let uploadedBy: User.ID
    public let uploadedAt: Date

    public init(
        id: ID, patientID: Patient.ID, title: String, recordType: RecordType, recordDate: CalendarDate, fileName: String,
        contentType: String, sizeBytes: Int, sha256: String, uploadedBy: User.ID, uploadedAt: Date
    ) {
        self.id = id
        self.patientID = patientID
        self.title = title
        self.recordType = recordType
        self.recordDate = recordDate
        self.fileName = fileName
        self.contentType = contentType
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

/// The text fields of an upload, validated: `patient_id`, `title`, `record_type`, `date`, and the
/// file's name and type as the client sent them.
public struct MedicalRecordUpload: Sendable {
    public let patientID: Patient.ID
    public let title: String
    public let recordType: MedicalRecord.RecordType
    public let recordDate: CalendarDate
    public let fileName: String
    public let contentType: String

    public init(validating fields: [String: String], fileName: String?, contentType: String?, today: CalendarDate) throws(DomainError) {
        var check = Validator()
        let patient = check.identifier("patient_id", fields["patient_id"], of: Patient.self)
        title = check.text("title", fields["title"])
        let type = check.choice("record_type", fields["record_type"], as: MedicalRecord.RecordType.self)
        let date = check.pastDate("date", fields["date"], today: today, maxYears: 150)
        let name = (fileName ?? "").filter { !$0.isNewline && $0 != "/" && $0 != "\\" && $0 != "\"" }
        if fileName == nil { check.fail("file", "is required") }
        self.fileName = name.isEmpty ? "document" : String(name.prefix(200))
        let type_ = (contentType ?? "application/octet-stream").trimmingCharacters(in: .whitespaces)
        self.contentType = type_.count <= 100 && type_.contains("/") && !type_.contains(where: \.isNewline) ? type_ : "application/octet-stream"
        try check.check()
        patientID = patient!
        recordType = type!
        recordDate = date!
    }
}
