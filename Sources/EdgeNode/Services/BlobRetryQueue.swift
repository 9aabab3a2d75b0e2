/// Which blobs to transfer when — the prefetcher's missing blobs, the hub pusher's unsent ones: a
/// new blob at once, a failed one again after a pause that doubles with every failure (so a stream
/// of writes does not turn an absent peer into a hammering loop). Pure: the caller passes the time.
struct BlobRetryQueue {
    private struct Entry {
        var notBefore: ContinuousClock.Instant
        var failures = 0
    }

    let firstRetry: Duration
    let longestRetry: Duration
    private var entries: [String: Entry] = [:]

    init(firstRetry: Duration = .seconds(30), longestRetry: Duration = .seconds(3600)) {
        self.firstRetry = firstRetry
        self.longestRetry = longestRetry
    }

    /// Blobs waiting to be transferred.
    var count: Int { entries.count }

    /// Notes blobs to transfer; those already waiting keep their place and pause.
    mutating func add(_ sha256s: some Sequence<String>, now: ContinuousClock.Instant) {
        for sha256 in sha256s where entries[sha256] == nil {
            entries[sha256] = Entry(notBefore: now)
        }
    }

    /// The blobs to try now, in a stable order.
    func due(now: ContinuousClock.Instant) -> [String] {
        entries.filter { $0.value.notBefore <= now }.keys.sorted()
    }

    /// The blob is transferred: it waits no more.
    mutating func done(_ sha256: String) {
        entries[sha256] = nil
    }

    /// The transfer failed (no source had the blob, the bytes were wrong, the peer was away): try
    /// again later.
    mutating func failed(_ sha256: String, now: ContinuousClock.Instant) {
        guard var entry = entries[sha256] else { return }
        entry.failures += 1
        let pause = firstRetry * (1 << min(entry.failures - 1, 20))
        entry.notBefore = now + min(pause, longestRetry)
        entries[sha256] = entry
    }

    /// How long until the next blob is due (zero if one is due now); nil when nothing waits.
    func untilNextDue(now: ContinuousClock.Instant) -> Duration? {
        entries.values.map(\.notBefore).min().map { max(.zero, $0 - now) }
    }
}
