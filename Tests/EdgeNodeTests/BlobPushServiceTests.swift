import AsyncHTTPClient
import Crypto
import Foundation
import HummingbirdTesting
import Replication
import Testing
@testable import EdgeNode

/// A node's pusher against a real hub (its HTTP server on a loopback port): files wait until the
/// hub holds the records naming them, then reach it byte for byte.
@Suite struct BlobPushServiceTests {
    @Test func aFileGoesToTheHubOnlyOnceTheHubHoldsItsRecord() async throws {
        var settings = TestNode.settings()
        settings.role = .hub
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-push-\(UUID())").path
        defer {
            try? FileManager.default.removeItem(atPath: settings.dataDirectory)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let hub = try await buildNode(settings)
        let hubBlobs = try BlobStore(directory: settings.dataDirectory)
        try await hub.application.test(.live) { client in
            let transport = HTTPPeerTransport(
                address: "http://127.0.0.1:\(try #require(client.port))", token: try DeploymentSecret(TestNode.secret).replicationToken, client: .shared
            )
            let store = try TestNode.scratchStore(), blobs = try BlobStore(directory: directory)
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            let sha256 = try BlobCollectionTests.store(bytes, in: blobs, age: 0)
            try await BlobCollectionTests.nameInABackup(sha256, size: bytes.count, id: UUID().uuidString, in: store)

            let pusher = BlobPushService(
                hub: transport, store: store, references: BlobReferences(store: store), blobs: blobs, catchUpPause: .milliseconds(50), logger: .init(label: "test")
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pusher.run() }
                try await Task.sleep(for: .milliseconds(600))
                #expect(!hubBlobs.contains(sha256), "the hub holds no record naming the file yet")

                try await store.push(to: transport, batchLimit: 1000)  // what the sync service does
                let deadline = ContinuousClock.now + .seconds(10)
                while !hubBlobs.contains(sha256), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                group.cancelAll()
            }
            let atHub = try #require(hubBlobs.path(of: sha256))
            #expect(FileManager.default.contents(atPath: atHub) == Data(bytes), "the hub has the file, byte for byte")
        }
    }
}
