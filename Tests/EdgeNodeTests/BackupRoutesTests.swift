import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import EdgeNode

/// DocAssist's backups: the seed's behaviours at the root (the desktop app's base URL) and under
/// /api/v1, ranges, paging, and zero knowledge — an encrypted backup comes back byte for byte and
/// is stored as the ciphertext itself.
@Suite struct BackupRoutesTests {
    static func register(_ client: any TestClientProtocol, _ index: Int) async throws -> String {
        let body: [String: Any] = [
            "email": "clinic\(index)@example.com", "password": "securepassword", "name": "Dr. \(index)", "phone": "+919876543210",
            "license_number": "MH-\(10_000 + index)",
        ]
        let created = try await client.post("/auth/register", body)
        #expect(created.status == .created, "\(String(buffer: created.body))")
        return try #require(try object(created)["access_token"] as? String)
    }

    static func upload(_ client: any TestClientProtocol, _ file: [UInt8]?, device: String = "desktop-1", name: String = "Desktop PC",
                       checksum: String? = nil, token: String?, prefix: String = "") async throws -> TestResponse {
        var fields = [("device_id", device), ("device_name", name)]
        if let checksum { fields.append(("checksum", checksum)) }
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(DocumentRoutesTests.boundary)"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: prefix + "/backup/upload", method: .post, headers: headers,
                                        body: DocumentRoutesTests.multipart(fields, file: file, fileName: "backup.enc"))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func theSeedsBackupFlowAtTheRootAndUnderTheAPI() async throws {
        let settings = TestNode.settings(demo: false)
        try await TestNode.withRouter(configure: { $0.dataDirectory = settings.dataDirectory }) { client in
            let token = try await Self.register(client, 1)
            try expectError(try await client.get("/backup/latest", token: token), .notFound, code: "not_found")
            let status0 = try object(try await client.get("/backup/sync/status", token: token))
            #expect(status0["backup_count"] as? Int == 0 && status0["total_size_bytes"] as? Int == 0 && status0["devices"] as? [String] == [])

            // Zero knowledge: the client encrypts; the node keeps and returns the ciphertext as is.
            let key = SymmetricKey(size: .bits256)
            let plaintext = Array("SQLite format 3\0 — patients, prescriptions…".utf8) + (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let ciphertext = Array(try AES.GCM.seal(plaintext, using: key).combined!)
            let checksum = Self.hex(SHA256.hash(data: ciphertext))
            let uploaded = try object(try await Self.upload(client, ciphertext, checksum: checksum, token: token))
            let id = try #require(uploaded["backup_id"] as? String)
            #expect(uploaded["checksum"] as? String == checksum && uploaded["size_bytes"] as? Int == ciphertext.count)
            #expect(uploaded["device_name"] as? String == "Desktop PC" && uploaded["filename"] as? String == "backup.enc")
            let stored = try #require(try BlobStore(directory: settings.dataDirectory).path(of: checksum))
            #expect(try Data(contentsOf: URL(fileURLWithPath: stored)) == Data(ciphertext), "the file on disk is the ciphertext itself")

            let second = try object(try await Self.upload(client, [1, 2, 3], device: "laptop-9", name: "Laptop", token: token, prefix: "/api/v1"))
            let latest = try object(try await client.get("/backup/latest", token: token))
            #expect(latest["backup_id"] as? String == second["backup_id"] as? String)

            let download = try await client.get("/backup/download/\(id)", token: token)
            #expect(download.status == .ok && download.headers[HTTPField.Name("X-Checksum-SHA256")!] == checksum)
            #expect(download.headers[.contentLength] == String(ciphertext.count) && download.headers[.acceptRanges] == "bytes")
            let restored = try AES.GCM.open(AES.GCM.SealedBox(combined: Data(download.body.readableBytesView)), using: key)
            #expect(Array(restored) == plaintext, "decrypts to the original after the round trip")

            // An interrupted download resumes with a range.
            let rest = try await client.get("/api/v1/backup/download/\(id)", token: token, headers: [.range: "bytes=1000-"])
            #expect(rest.status == .partialContent && rest.headers[.contentRange] == "bytes 1000-\(ciphertext.count - 1)/\(ciphertext.count)")
            #expect(Array(rest.body.readableBytesView) == Array(ciphertext[1000...]))
            let tail = try await client.get("/backup/download/\(id)", token: token, headers: [.range: "bytes=-10"])
            #expect(Array(tail.body.readableBytesView) == Array(ciphertext.suffix(10)))
            let outside = try await client.get("/backup/download/\(id)", token: token, headers: [.range: "bytes=\(ciphertext.count)-"])
            #expect(outside.status == .rangeNotSatisfiable && outside.headers[.contentRange] == "bytes */\(ciphertext.count)")

            let status = try object(try await client.get("/backup/sync/status", token: token))
            #expect(status["backup_count"] as? Int == 2 && status["total_size_bytes"] as? Int == ciphertext.count + 3)
            #expect(status["devices"] as? [String] == ["Desktop PC", "Laptop"] && status["last_backup_time"] as? String == latest["created_at"] as? String)
            let page = try object(try await client.get("/backup/list?limit=1", token: token))
            let next = try #require(page["next_before"] as? String)
            let older = try object(try await client.get("/backup/list?limit=1&before=\(next)", token: token))
            #expect((older["backups"] as? [[String: Any]])?.first?["backup_id"] as? String == id)

            // Another user's backup is not there for them; no token, no backups.
            let other = try await Self.register(client, 2)
            try expectError(try await client.get("/backup/download/\(id)", token: other), .notFound, code: "not_found")
            try expectError(try await client.get("/backup/latest", token: other), .notFound, code: "not_found")
            try expectError(try await client.get("/backup/download/\(UUID())", token: token), .notFound, code: "not_found")
            try expectError(try await client.get("/backup/latest"), .unauthorized, code: "not_authenticated")
            try expectError(try await Self.upload(client, [1], token: nil), .unauthorized, code: "not_authenticated")
        }
    }

    @Test func emptyDamagedAndOversizedUploadsAreRefusedAndLeaveNothing() async throws {
        let settings = TestNode.settings(demo: false)
        try await TestNode.withRouter(configure: {
            $0.backupMaximumBytes = 1000
            $0.backupUploadLimit = RateLimit(requests: 100, per: 60)
            $0.dataDirectory = settings.dataDirectory
        }) { client in
            let token = try await Self.register(client, 3)
            try expectError(try await Self.upload(client, [], token: token), .badRequest, code: "bad_request")
            try expectError(try await Self.upload(client, [1, 2], checksum: String(repeating: "0", count: 64), token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await Self.upload(client, [1, 2], checksum: "abc", token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await Self.upload(client, Array(repeating: 7, count: 1001), token: token), .contentTooLarge, code: "payload_too_large")
            try expectError(try await Self.upload(client, nil, token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await Self.upload(client, [1], device: "", token: token), .unprocessableContent, code: "validation_error")
            #expect(try object(try await client.get("/backup/sync/status", token: token))["backup_count"] as? Int == 0)
            let kept = FileManager.default.enumerator(atPath: settings.dataDirectory + "/blobs/sha256")?.allObjects.count ?? 0
            let temporary = (try? FileManager.default.contentsOfDirectory(atPath: settings.dataDirectory + "/blobs/tmp")) ?? []
            #expect(kept == 0 && temporary.isEmpty, "nothing of a refused upload stays on disk")
        }
    }

    /// The seed's limits (5 uploads a minute per account) answer 429 with Retry-After; the newest
    /// backups per device are kept (here 2), older ones deleted; a backup deleted is gone for good.
    @Test func limitsRetentionAndDeletion() async throws {
        try await TestNode.withRouter(configure: { $0.backupsKeptPerDevice = 2 }) { client in
            let token = try await Self.register(client, 5)
            var ids: [String] = []
            for index in 0..<4 {
                let device = index < 3 ? "desktop-1" : "laptop-2"
                ids.append(try #require(try object(try await Self.upload(client, [UInt8(index + 1)], device: device, token: token))["backup_id"] as? String))
            }
            let listed = (try object(try await client.get("/backup/list", token: token))["backups"] as? [[String: Any]] ?? []).compactMap { $0["backup_id"] as? String }
            #expect(listed == [ids[3], ids[2], ids[1]], "the desktop's oldest went when its third arrived; the laptop's stays")
            try expectError(try await client.get("/backup/download/\(ids[0])", token: token), .notFound, code: "not_found")

            #expect(try await client.execute(uri: "/api/v1/backup/\(ids[1])", method: .delete, headers: [.authorization: "Bearer \(token)"]).status == .noContent)
            try expectError(try await client.execute(uri: "/backup/\(ids[1])", method: .delete, headers: [.authorization: "Bearer \(token)"]), .notFound, code: "not_found")
            let other = try await Self.register(client, 6)
            try expectError(try await client.execute(uri: "/backup/\(ids[2])", method: .delete, headers: [.authorization: "Bearer \(other)"]), .notFound, code: "not_found")
            #expect(try object(try await client.get("/backup/sync/status", token: token))["backup_count"] as? Int == 2)

            _ = try await Self.upload(client, [9], token: token)
            let limited = try await Self.upload(client, [10], token: token)
            try expectError(limited, .tooManyRequests, code: "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await Self.upload(client, [11], token: other).status == .ok, "the limit is per account")
        }
    }

    /// A backup uploaded at A is listed at B after a sync, with the same checksum.
    @Test func aBackupsRecordReplicates() async throws {
        try await NodePair.with { a, b in
            let token = try await Self.register(a, 4)
            let uploaded = try object(try await Self.upload(a, [9, 8, 7], token: token))
            try await NodePair.sync(from: a, to: b)
            let atB = try object(try await b.get("/backup/latest", token: token))
            #expect(atB["backup_id"] as? String == uploaded["backup_id"] as? String && atB["checksum"] as? String == uploaded["checksum"] as? String)
        }
    }
}
