import Foundation
import Logging
import ServiceLifecycle

/// Pulls the change feed of every configured peer into the local store, forever: one loop per
/// peer, long-polling so that a write anywhere reaches this node within moments, backing off
/// with jitter while a peer is unreachable. The decisions are `PeerSync`'s; this is the I/O shell.
///
/// On graceful shutdown, waits and fetches are cancelled but a batch being applied completes.
public struct SyncService: Service {
    public struct Settings: Sendable {
        /// Feed entries per batch (bounds every apply transaction).
        public var batchLimit: Int
        /// How long a caught-up pull waits at the peer for new changes.
        public var waitSeconds: Int
        public var backoff: Backoff

        public init(batchLimit: Int = 2000, waitSeconds: Int = 20, backoff: Backoff = Backoff()) {
            self.batchLimit = batchLimit
            self.waitSeconds = waitSeconds
            self.backoff = backoff
        }
    }

    /// Peers found at run time (LAN discovery) and how to reach one.
    public struct DiscoveredPeerSource: Sendable {
        public let roster: PeerRoster
        /// A transport to the node with this id at this URL.
        public let connect: @Sendable (String, NodeID) -> any PeerTransport

        public init(roster: PeerRoster, connect: @escaping @Sendable (String, NodeID) -> any PeerTransport) {
            self.roster = roster
            self.connect = connect
        }
    }

    let store: ReplicatedStore
    let peers: [any PeerTransport]
    let discovered: DiscoveredPeerSource?
    /// The hub this node pushes its feed to (it also pulls from the hub: pass it among `peers`).
    let hub: (any PeerTransport)?
    let settings: Settings
    let board: SyncStatusBoard
    let random: @Sendable () -> Double
    let isRevoked: @Sendable (NodeID) async throws -> Bool
    let logger: Logger

    /// - Parameters:
    ///   - discovered: peers to follow as they are found and for as long as they are wanted.
    ///   - isRevoked: whether the deployment revoked a peer (checked at every handshake).
    ///   - random: uniform numbers in [0, 1] for jitter (inject a seeded source in tests).
    public init(
        store: ReplicatedStore, peers: [any PeerTransport], hub: (any PeerTransport)? = nil, discovered: DiscoveredPeerSource? = nil,
        settings: Settings, board: SyncStatusBoard,
        logger: Logger, isRevoked: @escaping @Sendable (NodeID) async throws -> Bool = { _ in false },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.isRevoked = isRevoked
        self.store = store
        self.peers = peers
        self.hub = hub
        self.discovered = discovered
        self.settings = settings
        self.board = board
        self.random = random
        self.logger = logger
    }

    public func run() async throws {
        guard !peers.isEmpty || hub != nil || discovered != nil else {
            // Nothing to pull from; a service must still live until the node shuts down.
            try? await gracefulShutdown()
            store.notifier.close()
            return
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for peer in peers {
                    group.addTask { await follow(peer) }
                }
                if let hub {
                    group.addTask { await feed(hub) }
                }
                guard let discovered else { return }
                for await _ in discovered.roster.changes {
                    for (url, nodeID) in discovered.roster.claimUnfollowed() {
                        group.addTask {
                            await follow(discovered.connect(url, nodeID), expecting: nodeID) { discovered.roster.keepFollowing(url, nodeID) }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            store.notifier.close()
            discovered?.roster.close()
        }
    }

    /// Pulls one peer's feed until shutdown, or, for a discovered peer, until `isWanted` says it
    /// is no longer wanted (it then leaves the status board). `expecting` is the node id the peer
    /// advertised: a handshake naming another node is refused.
    private func follow(
        _ peer: any PeerTransport, expecting advertised: NodeID? = nil, while isWanted: @Sendable () -> Bool = { true }
    ) async {
        var logger = logger
        logger[metadataKey: "edge.peer.address"] = "\(peer.address)"
        var sync = PeerSync(
            localNodeID: store.identity.nodeID, schemaFingerprint: store.schema.fingerprint,
            backoff: settings.backoff, waitSeconds: settings.waitSeconds, expectedPeer: advertised
        )
        board.update(peer.address) { $0.nodeId = $0.nodeId ?? advertised }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            guard isWanted() else {
                board.remove(peer.address, ifNode: advertised)
                break
            }
            do {
                switch sync.next {
                case .handshake:
                    let status = try await cancelWhenGracefulShutdown { try await peer.status() }
                    let stored = try await store.checkpoint(of: status.nodeId)
                    if let refusal = sync.handshake(status, stored: stored, revoked: try await isRevoked(status.nodeId)) {
                        report(refusal, from: peer, logger: logger)
                        continue
                    }
                    logger.debug("Peer handshake", metadata: ["edge.peer.id": "\(status.nodeId)", "repl.since": "\(sync.position)"])
                    board.update(peer.address) {
                        $0.nodeId = status.nodeId
                        $0.state = sync.caughtUp && sync.backlog == 0 ? .idle : .syncing
                        $0.backlog = sync.backlog
                    }
                case .fetch:
                    let refusal = try await store.pull(from: peer, sync: &sync, batchLimit: settings.batchLimit) { batch, applied in
                        if applied > 0 {
                            logger.debug("Applied batch", metadata: ["repl.rows": "\(applied)", "repl.checkpoint": "\(batch.next)"])
                        }
                        board.update(peer.address) {
                            $0.state = batch.hasMore ? .syncing : .idle
                            $0.lastSuccessAt = Date()
                            $0.backlog = max(0, batch.head - batch.next)
                            $0.consecutiveFailures = 0
                            $0.rowsApplied += applied
                        }
                    }
                    if let refusal { report(refusal, from: peer, logger: logger) }
                case .backOff(let delay):
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                    sync.backedOff()
                }
            } catch is CancellationError {
                break
            } catch ReplicationError.untrustedPeer(let reason) {
                report(sync.refuse(.untrusted(reason)), from: peer, logger: logger)
            } catch {
                sync.failed(fraction: random())
                if sync.consecutiveFailures == 1 {
                    logger.warning("Peer sync failed; retrying with backoff", metadata: ["error": "\(error)"])
                }
                board.update(peer.address) {
                    $0.state = .backingOff
                    $0.lastError = "\(error)"
                    $0.lastErrorAt = Date()
                    $0.consecutiveFailures = sync.consecutiveFailures
                }
            }
        }
        await peer.close()
    }

    /// Pushes the local feed to the hub whenever it grows, backing off while the hub is away.
    private func feed(_ hub: any PeerTransport) async {
        var logger = logger
        logger[metadataKey: "edge.hub.address"] = "\(hub.address)"
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let (position, refused) = try await cancelWhenGracefulShutdown {
                    try await store.push(to: hub, batchLimit: settings.batchLimit)
                }
                failures = 0
                if refused > 0 {
                    logger.error("The hub refused changes of this node's feed (see its status)", metadata: ["repl.refused": "\(refused)"])
                    board.update(hub.address) { $0.refusedByPeer += refused }
                }
                await cancelWhenGracefulShutdown {
                    await store.notifier.waitForChanges(after: position, timeout: .seconds(settings.waitSeconds))
                }
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                if failures == 1 { logger.warning("Push to the hub failed; retrying with backoff", metadata: ["error": "\(error)"]) }
                let delay = settings.backoff.delay(afterFailures: failures, fraction: random())
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            }
        }
    }

    private func report(_ refusal: PeerSync.Refusal, from peer: any PeerTransport, logger: Logger) {
        guard refusal != .incarnationChanged else {
            logger.notice("Peer feed restarted (new incarnation); resyncing from its checkpoint")
            return
        }
        let reason = refusal.description
        var alreadyReported = false
        board.update(peer.address) {
            alreadyReported = $0.state == .refused && $0.lastError == reason
            $0.state = .refused
            $0.lastError = reason
            $0.lastErrorAt = Date()
        }
        if !alreadyReported { logger.error("Peer refused", metadata: ["reason": "\(reason)"]) }
    }
}
