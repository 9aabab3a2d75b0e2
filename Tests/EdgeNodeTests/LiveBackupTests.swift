import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Replication
import Testing
@testable import EdgeNode

extension LiveProcessTests {
    /// A DocAssist backup of 200 MB uploaded at node A is downloaded at node B after they sync,
    /// byte for byte (by checksum), by two clients at once, and neither node's memory grows by more
    /// than 50 MB: the bytes stream through both.
    @Suite struct LiveBackupTests {
        static let size = 200 << 20

        /// The SHA-256 of the generated backup.
        static var checksum: String {
            var hasher = SHA256()
            for piece in BackupTransferBenchmark.BackupBytes(size: size) { hasher.update(data: piece.readableBytesView) }
            return hasher.finalize().hexString
        }

        static func memory(_ pid: Int32?, _ field: String) throws -> Int {
            try BenchNode.memory(of: try #require(pid), field)  // KiB
        }

        /// Downloads backup `id` from `node` and expects exactly the bytes whose SHA-256 is `checksum`.
        static func expectDownload(of id: String, from node: NodeProcess, token: String, checksum: String) async throws {
            var download = HTTPClientRequest(url: node.baseURL + "/backup/download/\(id)")
            download.headers.add(name: "Authorization", value: "Bearer \(token)")
            let served = try await HTTPClient.shared.execute(download, timeout: .minutes(5))
            #expect(served.status.code == 200 && served.headers.first(name: "X-Checksum-SHA256") == checksum)
            let received = try await BackupTransferBenchmark.digest(of: served.body)
            #expect(received.bytes == size && received.sha256 == checksum, "\(node.name) serves the exact bytes")
        }

        @Test func aLargeBackupUploadedAtOneNodeDownloadsAtTheOtherInFlatMemory() async throws {
            let http = LiveClient()
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-backup-\(UUID())").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let portA = try #require(LoopbackPort.free()), portB = try #require(LoopbackPort.free())
            let a = try NodeProcess(name: "clinic-a", port: portA, dataDirectory: root + "/a", peers: ["http://127.0.0.1:\(portB)"])
            let b = try NodeProcess(name: "clinic-b", port: portB, dataDirectory: root + "/b", peers: ["http://127.0.0.1:\(portA)"])
            defer { a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            try a.start()
            try b.start()
            for node in [a, b] {
                try await http.eventually(60, "\(node.name) healthy") {
                    try await http.request(.GET, node.baseURL + "/health").object["status"] as? String == "healthy"
                }
            }
            let registered = try await http.request(.POST, a.baseURL + "/auth/register", body: [
                "email": "clinic@example.com", "password": "securepassword", "name": "Dr. Live", "license_number": "MH-77777",
            ])
            let token = try #require(registered.object["access_token"] as? String)
            let before = try Self.memory(a.processIdentifier, "VmRSS")

            var upload = HTTPClientRequest(url: a.baseURL + "/backup/upload")
            upload.method = .POST
            upload.headers.add(name: "Authorization", value: "Bearer \(token)")
            upload.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(BackupTransferBenchmark.boundary)")
            let form = BackupTransferBenchmark.GeneratedUpload(backupOfSize: Self.size)
            upload.body = .stream(form, length: .known(form.length))
            let response = try await HTTPClient.shared.execute(upload, timeout: .minutes(5))
            let answer = try JSONSerialization.jsonObject(with: Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)) as? [String: Any]
            #expect(response.status.code == 200, "\(answer ?? [:])")
            let checksum = Self.checksum
            #expect(answer?["checksum"] as? String == checksum && answer?["size_bytes"] as? Int == Self.size)
            let id = try #require(answer?["backup_id"] as? String)
            let grownAtA = try Self.memory(a.processIdentifier, "VmHWM") - before
            #expect(grownAtA < 50 << 10, "A's peak memory grew by \(grownAtA >> 10) MB receiving 200 MB")

            // At B, after the sync (the record, then the file from A): the same bytes.
            let beforeB = try Self.memory(b.processIdentifier, "VmRSS")
            try await http.eventually(120, "the backup at B") {
                try await http.request(.GET, b.baseURL + "/backup/latest", token: token).object["backup_id"] as? String == id
            }
            // Two clients at once, reading as fast as they can: the node sends at their pace.
            try await withThrowingTaskGroup(of: Void.self) { downloads in
                for _ in 0..<2 {
                    downloads.addTask { try await Self.expectDownload(of: id, from: b, token: token, checksum: checksum) }
                }
                try await downloads.waitForAll()
            }
            let grownAtB = try Self.memory(b.processIdentifier, "VmHWM") - beforeB
            #expect(grownAtB < 50 << 10, "B's peak memory grew by \(grownAtB >> 10) MB fetching 200 MB and serving it twice at once")
        }

        /// A backup taken at a node that then dies is restored from the hub — there, and at a
        /// replacement node that knows only the hub: the node pushed the file after its record.
        @Test func aBackupOutlivesItsNodeAtTheHub() async throws {
            let http = LiveClient()
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-backup-hub-\(UUID())").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let hub = try NodeProcess(name: "hub", port: try #require(LoopbackPort.free()), dataDirectory: root + "/hub", peers: [], role: "hub")
            let clinic = try NodeProcess(name: "clinic", port: try #require(LoopbackPort.free()), dataDirectory: root + "/clinic", peers: [], hub: hub.baseURL)
            let replacement = try NodeProcess(
                name: "replacement", port: try #require(LoopbackPort.free()), dataDirectory: root + "/replacement", peers: [], hub: hub.baseURL
            )
            defer { hub.stop(); clinic.stop(); replacement.stop(); try? FileManager.default.removeItem(atPath: root) }
            for node in [hub, clinic] {
                try node.start()
                try await http.eventually(60, "\(node.name) healthy") {
                    try await http.request(.GET, node.baseURL + "/health").object["status"] as? String == "healthy"
                }
            }
            let registered = try await http.request(.POST, clinic.baseURL + "/auth/register", body: [
                "email": "nightly@example.com", "password": "securepassword", "name": "Dr. Nightly", "license_number": "KA-31337",
            ])
            let token = try #require(registered.object["access_token"] as? String)
            let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            let checksum = SHA256.hash(data: bytes).hexString
            let body = Array(DocumentRoutesTests.multipart([("device_id", "desktop-1"), ("device_name", "Reception PC")], file: bytes, fileName: "clinic.db.enc")
                .readableBytesView)
            let uploaded = try await http.raw(.POST, clinic.baseURL + "/backup/upload", body: body,
                                              contentType: "multipart/form-data; boundary=\(DocumentRoutesTests.boundary)", token: token)
            #expect(uploaded.status == 200)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(uploaded.bytes)) as? [String: Any])?["backup_id"] as? String)

            let blob = "\(root)/hub/blobs/sha256/\(checksum.prefix(2))/\(checksum.dropFirst(2))"
            try await http.eventually(30, "the file pushed to the hub") { FileManager.default.fileExists(atPath: blob) }
            clinic.kill()
            let atHub = try await http.raw(.GET, hub.baseURL + "/backup/download/\(id)", token: token)
            #expect(atHub.status == 200 && atHub.bytes == bytes, "the hub serves the backup with its node gone")

            try replacement.start()
            try await http.eventually(60, "the backup's file at the replacement node") {
                FileManager.default.fileExists(atPath: "\(root)/replacement/blobs/sha256/\(checksum.prefix(2))/\(checksum.dropFirst(2))")
            }
            let restored = try await http.raw(.GET, replacement.baseURL + "/backup/download/\(id)", token: token)
            #expect(restored.status == 200 && restored.bytes == bytes, "a replacement node restores it from the hub")
        }
    }
}
