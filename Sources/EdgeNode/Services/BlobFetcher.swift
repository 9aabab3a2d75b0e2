import Foundation
import Logging

/// Fetches a blob this node lacks from the nodes it replicates with — its static peers, the
/// peers found on the LAN by DNS-SD, then the hub — streaming it to disk and keeping it only if
/// its bytes hash to the name it was asked for.
struct BlobFetcher: Sendable {
    /// The sources to ask, in order, at the moment of a fetch (the LAN's peers come and go).
    let sources: @Sendable () -> [HTTPPeerTransport]
    let blobs: BlobStore
    let limit: Int
    let logger: Logger

    /// Whether the blob is here now (already, or fetched from one of the sources).
    func fetch(_ sha256: String) async -> Bool {
        if blobs.contains(sha256) { return true }
        let sources = sources()
        var found = false
        for source in sources where !found {
            found = await fetch(sha256, from: source)
        }
        for source in sources { await source.close() }
        return found
    }

    private func fetch(_ sha256: String, from source: HTTPPeerTransport) async -> Bool {
        guard let writer = try? blobs.writer(limit: limit) else { return false }
        do {
            guard try await source.fetchBlob(sha256, into: writer) else {
                writer.discard()
                return false
            }
            if try writer.commit(as: sha256) { return true }
            logger.warning("A peer sent a blob that does not match its hash", metadata: ["edge.peer": "\(source.address)"])
        } catch {
            writer.discard()
            logger.notice("Blob fetch failed", metadata: ["edge.peer": "\(source.address)", "error": "\(error)"])
        }
        return false
    }
}
