import Logging
import Replication
import ServiceLifecycle

/// Keeps every document's and backup's file on this node, not only those downloaded here: whenever
/// a record arrives (uploaded here or replicated) whose blob is missing, fetches it in the background from
/// the peers and the hub, so the file opens here even after the node that took the upload goes
/// away. Failures are retried with a growing pause (`BlobRetryQueue`).
///
/// On graceful shutdown, a fetch under way is abandoned (its partial file discarded); the next
/// start fetches it again.
struct BlobPrefetchService: Service {
    let references: BlobReferences
    let blobs: BlobStore
    let fetcher: BlobFetcher
    let notifier: ChangeNotifier
    var queue = BlobRetryQueue()
    let logger: Logger

    func run() async throws {
        var queue = queue
        var checked: Int64 = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let version = notifier.version
            do {
                let changed = try await references.changed(after: checked)
                checked = changed.last?.version ?? checked
                queue.add(Set(changed.map(\.sha256)).filter { !blobs.contains($0) }, now: .now)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Could not read which documents changed", metadata: ["error": "\(error)"])
            }
            for sha256 in queue.due(now: .now) where !Task.isShuttingDownGracefully {
                if await cancelWhenGracefulShutdown({ await fetcher.fetch(sha256) }) {
                    queue.done(sha256)
                    logger.debug("Prefetched a document's file", metadata: ["edge.blob": "\(sha256)"])
                } else {
                    queue.failed(sha256, now: .now)
                }
            }
            let pause = queue.untilNextDue(now: .now) ?? .seconds(3600)
            await cancelWhenGracefulShutdown {
                await notifier.waitForChanges(after: version, timeout: pause)
            }
        }
    }
}
