import Foundation

/// The pure decisions of pulling one peer's feed, kept apart from the I/O that carries them out
/// (`SyncService`): where to start after a handshake, whether a batch may be applied, what to do
/// next, and how long to back off.
public struct PeerSync: Sendable {
    public enum Action: Equatable, Sendable {
        /// Ask the peer who it is (first contact, after an error, or after it restarted its feed).
        case handshake
        /// Fetch the feed after `since`, waiting up to `waitSeconds` if there is nothing new.
        case fetch(since: Int64, waitSeconds: Int)
        /// Wait before the next handshake.
        case backOff(Duration)
    }

    /// Why a handshake or batch is refused.
    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        case schemaMismatch(String)
        case isSelf
        case incarnationChanged
        /// The deployment CA revoked the peer's certificate.
        case revoked
        /// The peer's handshake names another node than it advertised.
        case unexpectedNode(NodeID)
        /// The TLS handshake failed: the peer's certificate is not from this deployment's CA, or
        /// it refused ours.
        case untrusted(String)

        public var description: String {
            switch self {
            case .schemaMismatch(let fingerprint): "peer runs schema \(fingerprint); its changes are held"
            case .isSelf: "peer is this node itself"
            case .incarnationChanged: "peer feed restarted (new incarnation)"
            case .revoked: "the peer's certificate is revoked"
            case .unexpectedNode(let node): "peer answered as node \(node), not the node it advertised"
            case .untrusted(let reason): "not trusted: \(reason)"
            }
        }
    }

    public let localNodeID: NodeID
    public let schemaFingerprint: String
    public let backoff: Backoff
    public let waitSeconds: Int
    /// The node id a discovered peer advertised; its handshake must name the same node.
    public let expectedPeer: NodeID?
    public private(set) var peer: NodeID?
    public private(set) var incarnation: UUID?
    public private(set) var position: Int64 = 0
    public private(set) var head: Int64 = 0
    public private(set) var consecutiveFailures = 0
    public private(set) var next: Action = .handshake
    /// Whether the last batch left this node caught up; the next fetch then long-polls.
    public private(set) var caughtUp = false

    public init(localNodeID: NodeID, schemaFingerprint: String, backoff: Backoff, waitSeconds: Int, expectedPeer: NodeID? = nil) {
        self.expectedPeer = expectedPeer
        self.localNodeID = localNodeID
        self.schemaFingerprint = schemaFingerprint
        self.backoff = backoff
        self.waitSeconds = waitSeconds
    }

    /// How far this node is behind the peer's feed, as of the last contact.
    public var backlog: Int64 { max(0, head - position) }

    /// A handshake answered; `stored` is the checkpoint kept for that peer, if any, and `revoked`
    /// whether the deployment revoked that peer.
    public mutating func handshake(_ status: ReplicaStatus, stored: PeerCheckpoint?, revoked: Bool = false) -> Refusal? {
        if status.nodeId == localNodeID { return refuse(.isSelf) }
        if revoked { return refuse(.revoked) }
        if let expectedPeer, status.nodeId != expectedPeer { return refuse(.unexpectedNode(status.nodeId)) }
        guard status.schemaFingerprint == schemaFingerprint, status.protocolVersion == ReplicationProtocol.version else {
            return refuse(.schemaMismatch(status.schemaFingerprint))
        }
        peer = status.nodeId
        incarnation = status.incarnation
        head = status.dbVersion
        position = stored?.incarnation == status.incarnation ? stored!.dbVersion : 0
        next = .fetch(since: position, waitSeconds: caughtUp && head <= position ? waitSeconds : 0)
        return nil
    }

    /// A batch arrived; returns a refusal if it must not be applied.
    public mutating func received(_ batch: ChangeBatch) -> Refusal? {
        guard batch.origin == peer, batch.incarnation == incarnation else { return refuse(.incarnationChanged) }
        guard batch.schemaFingerprint == schemaFingerprint else { return refuse(.schemaMismatch(batch.schemaFingerprint)) }
        return nil
    }

    /// The batch was applied and its checkpoint stored. While behind, fetch on; once caught up,
    /// shake hands again before the next (long-polling) fetch, so that a peer's revocation,
    /// restart or schema change is noticed within one poll.
    public mutating func applied(_ batch: ChangeBatch, checkpoint: Int64) {
        consecutiveFailures = 0
        position = checkpoint
        head = max(batch.head, checkpoint)
        caughtUp = !batch.hasMore
        next = caughtUp ? .handshake : .fetch(since: position, waitSeconds: 0)
    }

    /// A handshake, fetch or apply failed; `fraction` is a uniform random number in [0, 1].
    public mutating func failed(fraction: Double) {
        consecutiveFailures += 1
        next = .backOff(backoff.delay(afterFailures: consecutiveFailures, fraction: fraction))
    }

    /// The back-off wait is over.
    public mutating func backedOff() {
        next = .handshake
    }

    /// Refuses the peer — from a handshake or batch here, or from the transport (a failed TLS
    /// handshake): wait the longest backoff, then try again (the peer may be re-provisioned); a
    /// restarted feed is shaken hands with at once.
    @discardableResult
    public mutating func refuse(_ refusal: Refusal) -> Refusal {
        if refusal == .incarnationChanged {
            next = .handshake
        } else {
            consecutiveFailures += 1
            next = .backOff(backoff.maximum)
        }
        return refusal
    }
}
