import Crypto
import Foundation
import Replication
import Testing
@testable import EdgeNode

/// A blob asked for by name is kept only when its bytes hash to that name.
@Suite struct BlobWriterTests {
    @Test func bytesThatHashToAnotherNameAreThrownAwayAndLeaveThatBlobAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-writer-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blobs = try BlobStore(directory: directory)
        let held = try BlobCollectionTests.store([1, 2, 3], in: blobs, age: 0)
        let wanted = SHA256.hash(data: [9, 9]).hexString

        // A peer answers the request for `wanted` with the bytes of a blob this node already holds.
        let wrong = try blobs.writer(limit: 10)
        try wrong.write([1, 2, 3])
        #expect(try wrong.commit(as: wanted) == false)
        #expect(!blobs.contains(wanted) && blobs.temporary().isEmpty, "nothing kept of the wrong bytes")
        #expect(FileManager.default.contents(atPath: try #require(blobs.path(of: held))) == Data([1, 2, 3]), "the blob they hash to stays")

        let right = try blobs.writer(limit: 10)
        try right.write([9, 9])
        #expect(try right.commit(as: wanted))
        #expect(FileManager.default.contents(atPath: try #require(blobs.path(of: wanted))) == Data([9, 9]))
    }
}
