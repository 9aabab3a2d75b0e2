import Foundation
import Replication
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: PhysicalClock {
    private let milliseconds: Mutex<UInt64>

    init(_ start: Date) { milliseconds = Mutex(UInt64(start.timeIntervalSince1970 * 1000)) }

    func nowMilliseconds() -> UInt64 { milliseconds.withLock { $0 } }

    func advance(by seconds: TimeInterval) { milliseconds.withLock { $0 += UInt64(seconds * 1000) } }
}
