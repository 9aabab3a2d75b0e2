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
            } catch is CancellationError {
                return
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
            if let size = await remove(blob.sha256, unlessRenewedSince: cutoff) {
                removed += 1
                bytes += size
            }
        }
        return (removed, bytes)
    }

    /// Takes the blob out of its place first, then looks again: an upload of the same bytes
    /// since the listing renewed its time, or its record now names it — then it goes back. (An
    /// upload finishing after it was taken out puts its own copy in place.) Returns the size freed.
    private func remove(_ sha256: String, unlessRenewedSince cutoff: Date) async -> Int64? {
        let manager = FileManager.default
        guard let path = blobs.path(of: sha256) else { return nil }
        let taken = blobs.temporaryPath()
        guard (try? manager.moveItem(atPath: path, toPath: taken)) != nil else { return nil }
        let attributes = try? manager.attributesOfItem(atPath: taken)
        var keep = (attributes?[.modificationDate] as? Date).map { $0 >= cutoff } ?? true
        if !keep { keep = (try? await references.names(sha256)) ?? true }  // unsure: keep it
        if keep {
            if manager.fileExists(atPath: path) { try? manager.removeItem(atPath: taken) } else { try? manager.moveItem(atPath: taken, toPath: path) }
            return nil
        }
        try? manager.removeItem(atPath: taken)
        return attributes?[.size] as? Int64 ?? 0
    }
}
