import Crypto
import Foundation
import Replication
import Testing
@testable import EdgeNode

/// Files no record names are removed once they are older than the grace period; named files,
/// young files and files stored anew stay.
@Suite struct BlobCollectionTests {
    static func store(_ bytes: [UInt8], in blobs: BlobStore, age: TimeInterval) throws -> String {
        let writer = try blobs.writer(limit: 1 << 20)
        try writer.write(bytes)
        let sha256 = try writer.commit().sha256
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: try #require(blobs.path(of: sha256)))
        return sha256
    }

    static func nameInABackup(_ sha256: String, size: Int, id: String, in store: ReplicatedStore) async throws {
        try await store.write {
            try $0.insert(into: DomainTables.backups.name, id: id, values: [
                "owner_id": .text(UUID().uuidString), "file_name": .text("clinic.db.enc"), "size_bytes": .integer(Int64(size)), "sha256": .text(sha256),
                "device_id": .text("desktop-1"), "device_name": .text("Reception"), "created_at": .text("2026-11-24T08:00:00Z"),
            ])
        }
    }

    @Test func unnamedFilesOlderThanTheGraceGoAndEverythingElseStays() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-collect-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blobs = try BlobStore(directory: directory), store = try TestNode.scratchStore()
        let collector = BlobCollectionService(references: BlobReferences(store: store), blobs: blobs, logger: .init(label: "test"))

        let kept = try Self.store([1, 2, 3], in: blobs, age: 7200)
        try await Self.nameInABackup(kept, size: 3, id: UUID().uuidString, in: store)
        let deletedID = UUID().uuidString
        let deleted = try Self.store(Array(repeating: 9, count: 1000), in: blobs, age: 7200)
        try await Self.nameInABackup(deleted, size: 1000, id: deletedID, in: store)
        try await store.write { try $0.delete(from: DomainTables.backups.name, id: deletedID) }
        let young = try Self.store([4, 5], in: blobs, age: 60)
        let restored = try Self.store([6], in: blobs, age: 7200)
        _ = try Self.store([6], in: blobs, age: 7200)
        let writer = try blobs.writer(limit: 10)
        try writer.write([6])
        _ = try writer.commit()  // the same bytes stored again just now: a record is about to name them
        let crashed = try blobs.writer(limit: 10)
        try crashed.write([7])
        let leftover = try #require(blobs.temporary().first?.path)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: leftover)

        let removed = try await collector.collect(now: Date())
        #expect(removed.blobs == 1 && removed.bytes == 1000, "only the deleted backup's file goes")
        #expect(!blobs.contains(deleted))
        #expect(blobs.contains(kept) && blobs.contains(young) && blobs.contains(restored))
        #expect(blobs.temporary().isEmpty, "a crash's half-written file goes")
        #expect(try await collector.collect(now: Date().addingTimeInterval(7200)).blobs == 2, "the young and the renewed unnamed files go later")
        #expect(blobs.contains(kept))
    }
}
