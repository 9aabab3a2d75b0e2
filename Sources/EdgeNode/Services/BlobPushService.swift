import Foundation
import Logging
import Replication
import ServiceLifecycle

/// Sends the hub the files of the records it receives: once the hub's checkpoint of this node's
/// feed shows it holds a document or backup record, the blob that record names is streamed to it
/// (unless it has it already). So a backup taken at a node that then dies can be restored from the
/// hub — the records alone would name a file nobody off-site holds. Failures are retried with a
/// growing pause (`BlobRetryQueue`); a blob this node lacks is left to the nodes that have it.
///
/// On graceful shutdown, a push under way completes; nothing new starts.
struct BlobPushService: Service {
    let hub: HTTPPeerTransport
    let store: ReplicatedStore
    let references: BlobReferences
    let blobs: BlobStore
    var queue = BlobRetryQueue()
    /// The first pause while records naming blobs are still on their way to the hub (it doubles,
    /// up to a minute, while they stay on their way).
    var catchUpPause: Duration = .seconds(1)
    let logger: Logger

    func run() async throws {
        var queue = queue
        var queued: Int64 = 0
        var waitingForHub = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let version = store.notifier.version
            do {
                let named = try await references.changed(after: queued)
                let held = named.isEmpty ? queued : try await hubCheckpoint()
                // A hub behind the cursor lost what it had of this feed (restored, replaced): the
                // rows come again, and so do their files (each asked for with HEAD first).
                if held < queued { queued = held }
                let ready = named.prefix { $0.version <= held }
                queued = ready.last?.version ?? queued
                queue.add(Set(ready.map(\.sha256)), now: .now)
                // Records still on their way: look again soon, later the longer nothing moves.
                waitingForHub = ready.count < named.count ? (ready.isEmpty ? waitingForHub + 1 : 1) : 0
            } catch {
                if waitingForHub == 0 { logger.notice("Could not learn which records the hub holds", metadata: ["error": "\(error)"]) }
                waitingForHub += 1
            }
            for sha256 in queue.due(now: .now) where !Task.isShuttingDownGracefully {
                if await push(sha256) { queue.done(sha256) } else { queue.failed(sha256, now: .now) }
            }
            let pause = queue.untilNextDue(now: .now) ?? .seconds(3600)
            if waitingForHub > 0 {
                let catchUp = min(catchUpPause * (1 << min(waitingForHub - 1, 6)), .seconds(60))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: min(pause, catchUp)) }
            } else {
                await cancelWhenGracefulShutdown { await store.notifier.waitForChanges(after: version, timeout: pause) }
            }
        }
    }

    /// The position in this node's feed (this incarnation) up to which the hub holds its changes.
    private func hubCheckpoint() async throws -> Int64 {
        let identity = store.identity
        return try await hub.status().checkpoints.first { $0.peer == identity.nodeID && $0.incarnation == identity.incarnation }?.dbVersion ?? 0
    }

    /// Whether the hub has the blob now (it had it, or took it from here).
    private func push(_ sha256: String) async -> Bool {
        guard let path = blobs.path(of: sha256),
              let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64
        else { return false }
        do {
            if try await hub.hasBlob(sha256) { return true }
            switch try await hub.pushBlob(sha256, from: path, size: size) {
            case .stored:
                logger.debug("Pushed a file to the hub", metadata: ["edge.blob": "\(sha256)", "edge.bytes": "\(size)"])
                return true
            case .notNamed:
                return false
            case .refused(let status):
                logger.warning("The hub refused a file", metadata: ["edge.blob": "\(sha256)", "http.status": "\(status)"])
                return false
            }
        } catch {
            logger.notice("Pushing a file to the hub failed", metadata: ["edge.blob": "\(sha256)", "error": "\(error)"])
            return false
        }
    }
}
