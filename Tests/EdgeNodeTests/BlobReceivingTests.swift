import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

/// `PUT /replication/v1/blobs/{sha256}`: how the hub takes the files of the records nodes push.
@Suite struct BlobReceivingTests {
    @Test func aPushedBlobIsKeptOnlyWhenARecordNamesItAndItsBytesMatch() async throws {
        let settings = TestNode.settings()
        let deployment: HTTPFields = [ReplicationAuthMiddleware.header: try DeploymentSecret(TestNode.secret).replicationToken]
        try await TestNode.withRouter(configure: {
            $0.dataDirectory = settings.dataDirectory
            $0.documentMaximumBytes = 4096
            $0.backupMaximumBytes = 4096
        }) { client in
            let blobs = try BlobStore(directory: settings.dataDirectory)
            let token = try await BackupRoutesTests.register(client, 1)
            let bytes = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let sha256 = BackupRoutesTests.hex(SHA256.hash(data: bytes))
            #expect(try await BackupRoutesTests.upload(client, bytes, token: token).status == .ok)
            // The record is here, its file not (as at a hub that received the record from a node).
            try FileManager.default.removeItem(atPath: try #require(blobs.path(of: sha256)))
            let path = "/replication/v1/blobs/\(sha256)"
            #expect(try await client.execute(uri: path, method: .head, headers: deployment).status == .notFound)

            func put(_ path: String, _ body: [UInt8], headers: HTTPFields = deployment) async throws -> TestResponse {
                try await client.execute(uri: path, method: .put, headers: headers, body: ByteBuffer(bytes: body))
            }
            try expectError(try await put(path, bytes, headers: [:]), .unauthorized, code: "invalid_deployment_token")
            var damaged = bytes
            damaged[1500] ^= 1
            try expectError(try await put(path, damaged), .unprocessableContent, code: "blob_hash_mismatch")
            #expect(!blobs.contains(sha256) && blobs.temporary().isEmpty, "damaged bytes leave nothing behind")

            #expect(try await put(path, bytes).status == .created)
            #expect(try Data(contentsOf: URL(fileURLWithPath: try #require(blobs.path(of: sha256)))) == Data(bytes))
            #expect(try await client.execute(uri: path, method: .head, headers: deployment).status == .ok)
            #expect(try await put(path, bytes).status == .ok, "already here")
            let download = try await client.get("/backup/latest", token: token)
            #expect(try object(download)["checksum"] as? String == sha256)

            // Bytes no record names are refused, as are a blob over the limit and a bad name.
            let stray = [UInt8](repeating: 1, count: 100)
            try expectError(try await put("/replication/v1/blobs/\(BackupRoutesTests.hex(SHA256.hash(data: stray)))", stray), .conflict, code: "blob_not_named")
            let big = [UInt8](repeating: 2, count: 5000)
            let bigName = BackupRoutesTests.hex(SHA256.hash(data: big))
            var sized = deployment
            sized[.contentLength] = "\(big.count)"
            try expectError(try await put("/replication/v1/blobs/\(bigName)", big, headers: sized), .contentTooLarge, code: "payload_too_large")
            #expect(!blobs.contains(bigName) && blobs.temporary().isEmpty)
            try expectError(try await put("/replication/v1/blobs/NOT-A-HASH", bytes), .notFound, code: "not_found")
        }
    }
}
