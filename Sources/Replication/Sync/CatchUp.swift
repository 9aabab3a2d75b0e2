extension ReplicatedStore {
    /// Pulls a peer's feed once, batch by batch, until this replica holds everything the peer had
    /// when it answered; returns how many rows changed here. Used for one-shot syncs (benchmark,
    /// tools, tests); the long-running `SyncService` makes the same `PeerSync` decisions.
    @discardableResult
    public func catchUp(from peer: any PeerTransport, batchLimit: Int) async throws -> Int {
        var sync = PeerSync(localNodeID: identity.nodeID, schemaFingerprint: schema.fingerprint, backoff: Backoff(), waitSeconds: 0)
        let status = try await peer.status()
        if let refusal = sync.handshake(status, stored: try await checkpoint(of: status.nodeId)) {
            throw ReplicationError.peerUnavailable("\(peer.address) refused: \(refusal)")
        }
        var applied = 0
        while case .fetch(let since, _) = sync.next {
            let batch = try await peer.changes(since: since, limit: batchLimit, waitSeconds: 0)
            if let refusal = sync.received(batch) {
                throw ReplicationError.peerUnavailable("\(peer.address) refused: \(refusal)")
            }
            guard batch.next != since || batch.rowCount > 0 else { break }
            let result = try await apply(batch)
            applied += result.applied
            sync.applied(batch, checkpoint: result.checkpoint)
            if !batch.hasMore { break }
        }
        return applied
    }
}
