import Foundation
import Logging
import ServiceLifecycle

/// Frees the disk of files no record names any more — the blob of a deleted document or backup
/// (deleted here, by the retention policy, or at another node and replicated here) — and of
/// temporary files a crash left behind. A file written within `grace` is kept whatever: a blob is
/// stored just before the record naming it is written, and storing bytes already held renews the
/// file's time. Runs at start and every `interval`.
struct BlobCollectionService: Service {
    let references: BlobReferences
    let blobs: BlobStore
    var interval: Duration = .seconds(3600)
    var grace: TimeInterval = 3600
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let (blobCount, bytes) = try await collect(now: Date())
                if blobCount > 0 {
                    logger.info("Removed files no record names", metadata: ["edge.blobs": "\(blobCount)", "edge.bytes": "\(bytes)"])
                }
            } catch {
                logger.warning("Could not collect unnamed files", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Removes the blobs no record names and the temporary files, both older than `grace` at
    /// `now`; returns how many blobs, and the bytes freed by them.
    func collect(now: Date) async throws -> (blobs: Int, bytes: Int64) {
        let cutoff = now.addingTimeInterval(-grace)
        for file in blobs.temporary() where file.modified < cutoff {
            try? FileManager.default.removeItem(atPath: file.path)
        }
        let named = try await references.all()
        var removed = 0, bytes: Int64 = 0
        for blob in blobs.stored() where blob.modified < cutoff && !named.contains(blob.sha256) {
            guard let path = blobs.path(of: blob.sha256) else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64 ?? 0
            guard (try? FileManager.default.removeItem(atPath: path)) != nil else { continue }
            removed += 1
            bytes += size
        }
        return (removed, bytes)
    }
}
