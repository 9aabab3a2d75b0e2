import ServiceLifecycle

extension ReplicatedStore {
    /// Pulls a peer's feed from where `sync` stands until a batch reports nothing more, fetching
    /// the next batch while the current one is applied (the feed position after a batch is known
    /// before it is applied). Returns a refusal if the peer must not be applied.
    ///
    /// Fetches stop at graceful shutdown; a batch being applied always completes, with its
    /// checkpoint, in one transaction.
    func pull(
        from peer: any PeerTransport, sync: inout PeerSync, batchLimit: Int,
        onApplied: (ChangeBatch, Int) -> Void
    ) async throws -> PeerSync.Refusal? {
        guard case .fetch(let since, let wait) = sync.next else { return nil }
        var pending = try await cancelWhenGracefulShutdown {
            try await peer.changes(since: since, limit: batchLimit, waitSeconds: wait)
        }
        while true {
            if let refusal = sync.received(pending) { return refusal }
            let batch = pending
            guard batch.next != batch.since || batch.rowCount > 0 else {
                sync.applied(batch, checkpoint: batch.since)
                onApplied(batch, 0)
                return nil
            }
            async let prefetch = batch.hasMore
                ? cancelWhenGracefulShutdown { try await peer.changes(since: batch.next, limit: batchLimit, waitSeconds: 0) }
                : nil
            let result = try await apply(batch)
            sync.applied(batch, checkpoint: result.checkpoint)
            onApplied(batch, result.applied)
            guard let next = try await prefetch else { return nil }
            pending = next
        }
    }
}
