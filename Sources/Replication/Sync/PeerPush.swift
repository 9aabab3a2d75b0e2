extension ReplicatedStore {
    /// Pushes this replica's feed to a peer (the hub) from where the peer already has it — the
    /// checkpoint the peer reports for this node and incarnation — until the peer has everything.
    /// Returns the feed position the peer now holds and how many changes it refused. A broken push
    /// resumes from the peer's checkpoint, which the peer stores in the transaction that applied
    /// the batch.
    @discardableResult
    public func push(to peer: any PeerTransport, batchLimit: Int) async throws -> (position: Int64, refused: Int) {
        let status = try await peer.status()
        guard status.schemaFingerprint == schema.fingerprint, status.protocolVersion == ReplicationProtocol.version else {
            throw ReplicationError.schemaMismatch(expected: schema.fingerprint, received: status.schemaFingerprint)
        }
        guard status.nodeId != identity.nodeID else {
            throw ReplicationError.invalidConfiguration("the hub address points at this node itself")
        }
        var position = status.checkpoints
            .first { $0.peer == identity.nodeID && $0.incarnation == identity.incarnation }?.dbVersion ?? 0
        var refused = 0
        while true {
            let batch = try await changes(since: position, limit: batchLimit)
            guard batch.next > position else { return (position, refused) }
            let result = try await peer.push(batch)
            position = result.checkpoint
            refused += result.refused
            if !batch.hasMore { return (position, refused) }
        }
    }
}
