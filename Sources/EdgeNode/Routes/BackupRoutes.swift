import Domain
import Foundation
import HTTPTypes
import Hummingbird

/// `/backup`: DocAssist's zero-knowledge backups, at the node root (the desktop app's base URL)
/// and under `/api/v1`. The node stores the uploaded bytes as they come — streamed to the blob
/// store, never parsed, decompressed or logged — and serves them back byte for byte, with HTTP
/// ranges so an interrupted download resumes. Every backup is its owner's alone: another user's
/// is a 404, like one that does not exist.
struct BackupRoutes {
    /// Text fields of an upload are short.
    static let maximumFieldBytes = 4096
    /// Backups listed at most per page.
    static let pageLimit = 100

    let backups: BackupRepository
    let blobs: BlobStore
    let fetcher: BlobFetcher
    let audit: AuditTrail
    let maximumBytes: Int
    /// The newest backups kept per account and device (`nil`: all).
    let keptPerDevice: Int?
    /// Per-account allowances (the seed's 5 uploads and 10 downloads a minute by default).
    let uploads: RateLimiter
    let downloads: RateLimiter

    func register(root: RouteRegistrar, api: RouteRegistrar) {
        let anyAccount = EndpointAccess.roles(Set(UserRole.allCases))
        let backup = JSONSchema.object([
            ("backup_id", .formatted("uuid")), ("filename", .string), ("size_bytes", .integer), ("checksum", .string), ("device_id", .string),
            ("device_name", .string), ("created_at", .formatted("date-time")),
        ])
        for (registrar, tag) in [(api, "Backups"), (root, "DocAssist")] {
            registrar.add(.post, "backup/upload", tag, "Upload an encrypted backup (multipart: file, device_id, device_name; optional checksum, the file's SHA-256)",
                          access: anyAccount, documented: {
                $0.success = (200, backup)
                $0.errors = [(400, "The file is empty"), (413, "The file is over the size limit"), (415, "Not multipart/form-data"),
                             (422, "A field is missing, or the checksum does not match the bytes received"), (429, "Over the uploads a minute (Retry-After)")]
            }, use: upload)
            registrar.add(.get, "backup/latest", tag, "The newest backup's metadata", access: anyAccount, documented: {
                $0.success = (200, backup)
                $0.errors = [(404, "No backup yet")]
            }, use: latest)
            registrar.add(.get, "backup/list", tag, "The caller's backups, newest first, in pages (`limit` ≤ 100, `before` = the last id seen)",
                          access: anyAccount, documented: {
                $0.query = [.init(name: "limit", description: "At most (1–100, default 20)", schema: .integer),
                            .init(name: "before", description: "Backups older than this backup_id", schema: .formatted("uuid"))]
                $0.success = (200, .object([("backups", .array(backup)), ("next_before", .formatted("uuid"))]))
            }, use: list)
            registrar.add(.get, "backup/download/{backup_id}", tag, "The backup's exact bytes (HTTP Range supported)", access: anyAccount, documented: {
                $0.contentType = "application/octet-stream"
                $0.errors = [(404, "No such backup"), (416, "The range is outside the file"), (429, "Over the downloads a minute (Retry-After)")]
            }, use: download)
            registrar.add(.delete, "backup/{backup_id}", tag, "Delete a backup (a replicated tombstone)", access: anyAccount, documented: {
                $0.success = (204, nil)
                $0.errors = [(404, "No such backup")]
            }, use: delete)
            registrar.add(.get, "backup/sync/status", tag, "The last backup's time, how many, their total size and the devices", access: anyAccount, documented: {
                $0.success = (200, .object([("last_backup_time", .formatted("date-time")), ("backup_count", .integer), ("total_size_bytes", .integer),
                                            ("devices", .array(.string))]))
            }, use: status)
        }
    }

    @Sendable func upload(_ request: Request, context: EdgeRequestContext) async throws -> BackupPayload {
        let principal = try context.requirePrincipal()
        if let wait = uploads.take(principal.userID.description) { throw APIError.rateLimited(retryAfter: wait) }
        let writer = try blobs.writer(limit: maximumBytes)
        do {
            let form = try await MultipartUpload.receive(request, into: writer, maximumFieldBytes: Self.maximumFieldBytes)
            let upload = try BackupUpload(validating: form.fields, fileName: form.file.map { $0.name ?? "backup.enc" })
            guard writer.size > 0 else { throw APIError.badRequest("The backup file is empty") }
            if let expected = upload.expectedSHA256, expected != writer.sha256 {
                throw APIError.unprocessable([.init(field: "checksum", message: "does not match the bytes received (\(writer.sha256)): the upload was damaged")])
            }
            let blob = try writer.commit()
            return BackupPayload(try await backups.add(upload, blob: blob, keeping: keptPerDevice, principal: principal, clientAddress: context.remoteAddress))
        } catch {
            writer.discard()
            throw error
        }
    }

    @Sendable func latest(_ request: Request, context: EdgeRequestContext) async throws -> BackupPayload {
        let principal = try context.requirePrincipal()
        guard let newest = try await backups.backups(of: principal.userID, limit: 1).first else { throw APIError.notFound("No backup yet") }
        return BackupPayload(newest)
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> BackupPage {
        let principal = try context.requirePrincipal()
        var check = Validator()
        let limitText = request.uri.queryParameters.get("limit")
        if let limitText, Int(limitText) == nil { check.fail("limit", "must be a whole number") }
        let limit = check.count("limit", limitText.flatMap { Int($0) }, in: 1...Self.pageLimit) ?? 20
        let before = request.uri.queryParameters.get("before").map { check.identifier("before", $0, of: Backup.self) } ?? nil
        try check.check()
        let page = try await backups.backups(of: principal.userID, limit: limit, before: before)
        return BackupPage(backups: page.map(BackupPayload.init), nextBefore: page.count == limit ? page.last?.id.description : nil)
    }

    @Sendable func download(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        if let wait = downloads.take(principal.userID.description) { throw APIError.rateLimited(retryAfter: wait) }
        let backup = try await owned(context, by: principal)
        guard let path = blobs.path(of: backup.sha256), await fetcher.fetch(backup.sha256) else {
            throw APIError(status: .notFound, code: "blob_unavailable", detail: "This backup's file is not on this node and no peer could send it")
        }
        try await audit.record(.init(principal, .read, "backup", id: backup.id.description, clientAddress: context.remoteAddress))
        var headers: HTTPFields = [
            .contentType: "application/octet-stream", .acceptRanges: "bytes",
            .contentDisposition: "attachment; filename=\"\(backup.fileName.filter { $0.isASCII && $0 != "\"" })\"",
            HTTPField.Name("X-Checksum-SHA256")!: backup.sha256,
        ]
        guard let rangeHeader = request.headers[.range] else {
            headers[.contentLength] = String(backup.sizeBytes)
            return Response(status: .ok, headers: headers, body: try await context.fileBody(at: path))
        }
        guard let range = ByteRange(rangeHeader, size: backup.sizeBytes) else {
            throw APIError(status: .rangeNotSatisfiable, code: "range_not_satisfiable", detail: "The range is outside the backup's \(backup.sizeBytes) bytes",
                           headers: [.contentRange: "bytes */\(backup.sizeBytes)"])
        }
        headers[.contentLength] = String(range.bounds.count)
        headers[.contentRange] = "bytes \(range.bounds.lowerBound)-\(range.bounds.upperBound)/\(backup.sizeBytes)"
        return Response(status: .partialContent, headers: headers, body: try await context.fileBody(at: path, range: range.bounds))
    }

    @Sendable func delete(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try await backups.delete(try await owned(context, by: principal), principal: principal, clientAddress: context.remoteAddress)
        return Response(status: .noContent)
    }

    /// The backup the path names, if it is the caller's: 404 for an unknown id and another user's alike.
    private func owned(_ context: EdgeRequestContext, by principal: Principal) async throws -> Backup {
        guard let id = context.parameters.get("backup_id").flatMap(Backup.ID.init),
              let backup = try await backups.backup(id: id, of: principal.userID) else { throw APIError.notFound("No such backup") }
        return backup
    }

    @Sendable func status(_ request: Request, context: EdgeRequestContext) async throws -> BackupStatusPayload {
        let principal = try context.requirePrincipal()
        let status = try await backups.status(of: principal.userID)
        return BackupStatusPayload(
            lastBackupTime: status.lastBackup.map(Timestamps.api), backupCount: status.count, totalSizeBytes: status.totalBytes, devices: status.devices
        )
    }
}

/// One `bytes=` range of a file of `size` bytes: `first-last`, `first-` or `-suffix` (a single
/// range; several in one header are not served).
struct ByteRange: Equatable {
    let bounds: ClosedRange<Int>

    init?(_ header: String, size: Int) {
        guard size > 0, header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            bounds = max(0, size - suffix)...(size - 1)
        } else {
            guard let first = Int(parts[0]), first >= 0, first < size else { return nil }
            let last = parts[1].isEmpty ? size - 1 : Int(parts[1]).map { min($0, size - 1) }
            guard let last, last >= first else { return nil }
            bounds = first...last
        }
    }
}

struct BackupPayload: ResponseEncodable {
    let backupId: String
    let filename: String
    let sizeBytes: Int
    let checksum: String
    let deviceId: String
    let deviceName: String
    let createdAt: String

    init(_ backup: Backup) {
        backupId = backup.id.description
        filename = backup.fileName
        sizeBytes = backup.sizeBytes
        checksum = backup.sha256
        deviceId = backup.deviceID
        deviceName = backup.deviceName
        createdAt = Timestamps.api(backup.createdAt)
    }
}

struct BackupPage: ResponseEncodable {
    let backups: [BackupPayload]
    let nextBefore: String?
}

struct BackupStatusPayload: ResponseEncodable {
    let lastBackupTime: String?
    let backupCount: Int
    let totalSizeBytes: Int
    let devices: [String]
}
