extension ReplicatedStore {
    /// Pulls a peer's feed once, until this replica holds everything the peer had when it
    /// answered; returns how many rows changed here. For one-shot syncs (benchmark, tools, tests);
    /// the long-running `SyncService` makes the same `PeerSync` decisions and pulls the same way.
    @discardableResult
    public func catchUp(from peer: any PeerTransport, batchLimit: Int) async throws -> Int {
        var sync = PeerSync(localNodeID: identity.nodeID, schemaFingerprint: schema.fingerprint, backoff: Backoff(), waitSeconds: 0)
        let status = try await peer.status()
        var refusal = sync.handshake(status, stored: try await checkpoint(of: status.nodeId))
        var applied = 0
        if refusal == nil {
            refusal = try await pull(from: peer, sync: &sync, batchLimit: batchLimit) { applied += $1 }
        }
        if let refusal { throw ReplicationError.peerUnavailable("\(peer.address) refused: \(refusal)") }
        return applied
    }
}
