import Foundation

/// A DocAssist installation's encrypted backup: opaque bytes — stored by SHA-256 in the blob
/// store, never parsed — and who made it on which device. Deleting one is a replicated tombstone.
public struct Backup: Sendable, Equatable {
    public typealias ID = Identifier<Backup>

    public let id: ID
    public let ownerID: User.ID
    public let fileName: String
    public let sizeBytes: Int
    public let sha256: String
    public let deviceID: String
    public let deviceName: String
    public let createdAt: Date

    public init(id: ID, ownerID: User.ID, fileName: String, sizeBytes: Int, sha256: String, deviceID: String, deviceName: String, createdAt: Date) {
        self.id = id
        self.ownerID = ownerID
        self.fileName = fileName
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.createdAt = createdAt
    }
}

/// The text fields of a backup upload, validated: `device_id`, `device_name`, optionally the
/// client's SHA-256 of the file (`checksum`), and the file's name as the client sent it.
public struct BackupUpload: Sendable {
    public let deviceID: String
    public let deviceName: String
    public let fileName: String
    /// The checksum the client computed; the stored bytes must hash to it.
    public let expectedSHA256: String?

    public init(validating fields: [String: String], fileName: String?) throws(DomainError) {
        var check = Validator()
        let device = check.text("device_id", fields["device_id"], maxLength: 200)
        let name = check.text("device_name", fields["device_name"], maxLength: 200)
        if fileName == nil { check.fail("file", "is required") }
        let checksum = (fields["checksum"] ?? fields["sha256"])?.lowercased()
        if let checksum, checksum.count != 64 || !checksum.allSatisfy(\.isHexDigit) { check.fail("checksum", "must be a SHA-256 in hex (64 characters)") }
        try check.check()
        let cleaned = (fileName ?? "").filter { !$0.isNewline && $0 != "/" && $0 != "\\" && $0 != "\"" }
        self.fileName = cleaned.isEmpty ? "backup.enc" : String(cleaned.prefix(200))
        deviceID = device
        deviceName = name
        expectedSHA256 = checksum
    }
}
