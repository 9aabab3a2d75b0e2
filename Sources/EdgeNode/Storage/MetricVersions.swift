import Synchronization

/// Which patients' wearable rollups changed, as a counter per patient bumped after each commit
/// that changed them (ingest or replicated merge alike: the rollups' derivation reports it). A
/// read that notes the version before it reads the rollups, and finds it unchanged later, knows
/// its answer still holds.
final class MetricVersions: Sendable {
    private let versions = Mutex<[String: UInt64]>([:])

    init() {}

    /// The patient's current version (0 until their rollups first change in this process).
    func version(of patient: String) -> UInt64 {
        versions.withLock { $0[patient] ?? 0 }
    }

    /// Marks the patients' rollups changed; called once their transaction has committed.
    func bump(_ patients: Set<String>) {
        versions.withLock { versions in
            for patient in patients { versions[patient, default: 0] += 1 }
        }
    }
}
