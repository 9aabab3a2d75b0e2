import Domain
import Foundation
import Synchronization
import Testing
@testable import EdgeNode

@Suite struct AuditCommitQueueTests {
    static let event = AuditEvent(nil, .read, "health_metrics", id: nil, clientAddress: nil)

    /// What the stand-in writer saw.
    actor Written {
        var entries = 0
        var commits = 0
        var failing = false

        func commit(_ count: Int) throws {
            if failing { throw DiskFull() }
            entries += count
            commits += 1
        }

        func fail(_ fails: Bool) { failing = fails }
    }

    struct DiskFull: Error {}

    /// Many concurrent callers: every entry is written exactly once, in fewer commits than callers,
    /// and no caller returns before the commit holding its entry.
    @Test func concurrentEntriesShareCommitsAndEachCallerReturnsOnceItsEntryIsWritten() async throws {
        let written = Written()
        let queue = AuditCommitQueue { events, _ in
            try await Task.sleep(for: .milliseconds(2))  // a commit takes a while, as an fsync does
            try await written.commit(events.count)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<300 {
                group.addTask {
                    let before = await written.entries
                    try await queue.record(Self.event)
                    #expect(await written.entries > before, "returned only after a commit")
                }
            }
            try await group.waitForAll()
        }
        #expect(await written.entries == 300)
        let commits = await written.commits
        #expect(commits < 300, "entries arriving during a commit share the next one (\(commits) commits)")
    }

    @Test func aFailedCommitFailsItsCallersAndTheQueueGoesOn() async throws {
        let written = Written()
        await written.fail(true)
        let queue = AuditCommitQueue { events, _ in try await written.commit(events.count) }
        await #expect(throws: DiskFull.self) { try await queue.record(Self.event) }
        await written.fail(false)
        try await queue.record(Self.event)
        #expect(await written.entries == 1)
    }

    /// The clock of the durability test, moved by hand.
    final class Clock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        func now() -> ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    actor Durability {
        var flags: [Bool] = []
        func note(_ durable: Bool) { flags.append(durable) }
    }

    /// A commit waits for the disk at most once per interval: the first, then the first after
    /// each interval; a failed durable commit leaves the next one durable.
    @Test func commitsWaitForTheDiskAtMostOncePerInterval() async throws {
        let clock = Clock(), seen = Durability()
        let failing = Written()
        let queue = AuditCommitQueue(now: { clock.now() }) { events, durable in
            await seen.note(durable)
            try await failing.commit(events.count)
        }
        try await queue.record(Self.event)
        try await queue.record(Self.event)
        clock.advance(.milliseconds(500))
        try await queue.record(Self.event)
        clock.advance(.milliseconds(600))
        await failing.fail(true)
        _ = try? await queue.record(Self.event)
        await failing.fail(false)
        try await queue.record(Self.event)
        try await queue.record(Self.event)
        #expect(await seen.flags == [true, false, false, true, true, false])
    }
}
