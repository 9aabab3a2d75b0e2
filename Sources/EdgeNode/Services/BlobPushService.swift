import Foundation
import Logging
import Replication
import ServiceLifecycle

/// Sends the hub the files of the records it receives: once the hub's checkpoint of this node's
/// feed shows it holds a document or backup record, the blob that record names is streamed to it
/// (unless it has it already). So a backup taken at a node that then dies can be restored from the
/// hub — the records alone would name a file nobody off-site holds. A failed push is retried with
/// a growing pause (`BlobRetryQueue`); a file the hub will never take (no record there names it,
/// over its limit) and a file gone here with its record are given up.
///
/// On graceful shutdown, a push under way is abandoned (the hub keeps nothing of it); the next
/// start sends it again.
struct BlobPushService: Service {
    /// What became of one blob's push.
    enum Outcome {
        /// The hub has it.
        case sent
        /// Not now (the hub away, the file still on its way here): later.
        case retry
        /// Never: the hub refuses it, or nothing here names it any more.
        case abandon
    }

    let hub: HTTPPeerTransport
    let store: ReplicatedStore
    let references: BlobReferences
    let blobs: BlobStore
    var queue = BlobRetryQueue()
    /// The first pause while records naming blobs are still on their way to the hub (it doubles,
    /// up to a minute, while they stay on their way).
    var catchUpPause: Duration = .seconds(1)
    /// How often an idle node asks the hub for its checkpoint anyway, so that a hub restored or
    /// replaced from an older state is sent again the files it lost.
    var recheckInterval: Duration = .seconds(600)
    let logger: Logger

    func run() async throws {
        var queue = queue
        var queued: Int64 = 0
        var waitingForHub = 0
        var lastAsked: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let version = store.notifier.version
            do {
                var named = try await references.changed(after: queued)
                if !named.isEmpty || lastAsked.map({ .now - $0 >= recheckInterval }) ?? true {
                    let held = try await hubCheckpoint()
                    lastAsked = .now
                    if held < queued {
                        // The hub lost what it had of this feed: the rows go again, and so do their files.
                        queued = held
                        named = try await references.changed(after: queued)
                    }
                    let ready = named.prefix { $0.version <= held }
                    queued = ready.last?.version ?? queued
                    queue.add(Set(ready.map(\.sha256)), now: .now)
                    // Records still on their way: look again soon, later the longer nothing moves.
                    waitingForHub = ready.count < named.count ? (ready.isEmpty ? waitingForHub + 1 : 1) : 0
                }
            } catch is CancellationError {
                return
            } catch {
                if waitingForHub == 0 { logger.notice("Could not learn which records the hub holds", metadata: ["error": "\(error)"]) }
                waitingForHub += 1
            }
            for sha256 in queue.due(now: .now) where !Task.isShuttingDownGracefully {
                switch await push(sha256) {
                case .sent, .abandon: queue.done(sha256)
                case .retry: queue.failed(sha256, now: .now)
                }
            }
            let pause = min(queue.untilNextDue(now: .now) ?? recheckInterval, recheckInterval)
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

    private func push(_ sha256: String) async -> Outcome {
        guard let path = blobs.path(of: sha256),
              let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64
        else {
            // Not here: while a record here names it, the prefetcher is bringing it.
            return (try? await references.names(sha256)) == false ? .abandon : .retry
        }
        do {
            if try await hub.hasBlob(sha256) { return .sent }
            switch try await cancelWhenGracefulShutdown({ try await hub.pushBlob(sha256, from: path, size: size) }) {
            case .stored:
                logger.debug("Pushed a file to the hub", metadata: ["edge.blob": "\(sha256)", "edge.bytes": "\(size)"])
                return .sent
            case .notNamed:
                logger.notice("The hub has no record naming a file (deleted there, or the record refused): not sent", metadata: ["edge.blob": "\(sha256)"])
                return .abandon
            case .refused(let status):
                logger.warning("The hub refused a file", metadata: ["edge.blob": "\(sha256)", "http.status": "\(status)"])
                return status >= 500 ? .retry : .abandon
            }
        } catch {
            logger.notice("Pushing a file to the hub failed", metadata: ["edge.blob": "\(sha256)", "error": "\(error)"])
            return .retry
        }
    }
}
