/// How the sync engine talks to one peer. The HTTP implementation lives in the server; tests use
/// in-process ones.
public protocol PeerTransport: Sendable {
    /// Where the peer is, for status and logs (a URL, or a name in tests).
    var address: String { get }
    /// The peer's handshake: identity, incarnation, schema and feed head.
    func status() async throws -> ReplicaStatus
    /// Up to `limit` feed entries after `since`; when there are none, the peer may hold the
    /// request up to `waitSeconds` for new ones.
    func changes(since: Int64, limit: Int, waitSeconds: Int) async throws -> ChangeBatch
    /// Hands the peer a batch of this node's feed to apply (nodes push to the hub, which never
    /// dials them); the peer stores the batch and its checkpoint for this node together.
    func push(_ batch: ChangeBatch) async throws -> ApplyResult
    /// Releases what the transport holds once its peer is no longer followed.
    func close() async
}

extension PeerTransport {
    public func close() async {}
}
