import Testing
@testable import EdgeNode

@Suite struct BlobRetryQueueTests {
    let start = ContinuousClock.now

    @Test func aNewlyMissingBlobIsDueAtOnceAndLeavesOnceFetched() {
        var queue = BlobRetryQueue()
        queue.add(["bb", "aa"], now: start)
        #expect(queue.due(now: start) == ["aa", "bb"])
        #expect(queue.untilNextDue(now: start) == .zero)
        queue.done("aa")
        queue.done("bb")
        #expect(queue.count == 0 && queue.untilNextDue(now: start) == nil)
    }

    @Test func aFailedBlobWaitsAPauseThatDoublesUpToTheLongest() {
        var queue = BlobRetryQueue(firstRetry: .seconds(30), longestRetry: .seconds(100))
        queue.add(["aa"], now: start)
        queue.failed("aa", now: start)
        #expect(queue.due(now: start + .seconds(29)).isEmpty)
        #expect(queue.untilNextDue(now: start + .seconds(10)) == .seconds(20))
        #expect(queue.due(now: start + .seconds(30)) == ["aa"])
        queue.failed("aa", now: start + .seconds(30))
        #expect(queue.untilNextDue(now: start + .seconds(30)) == .seconds(60))
        queue.failed("aa", now: start + .seconds(90))
        #expect(queue.untilNextDue(now: start + .seconds(90)) == .seconds(100), "capped")
        for step in 0..<100 { queue.failed("aa", now: start + .seconds(step)) }
        #expect(queue.untilNextDue(now: start + .seconds(99)) == .seconds(100), "no overflow after many failures")
    }

    @Test func seeingAWaitingBlobAgainKeepsItsPause() {
        var queue = BlobRetryQueue(firstRetry: .seconds(30))
        queue.add(["aa"], now: start)
        queue.failed("aa", now: start)
        queue.add(["aa", "cc"], now: start + .seconds(1))
        #expect(queue.due(now: start + .seconds(1)) == ["cc"])
        queue.failed("zz", now: start)
        #expect(queue.count == 2, "a blob never added is not queued by a failure")
    }
}
