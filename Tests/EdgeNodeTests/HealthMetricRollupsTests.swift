import Domain
import Foundation
import GRDB
import PropertyBased
import Replication
import Testing
@testable import EdgeNode

/// The rollups follow the samples wherever they come from: seeded random ingests at three
/// replicas — overlapping sleep from two devices, the same sample recorded with different values
/// at different nodes — synced in random order, leave every replica with the same rollups, and
/// those equal the rollups computed from scratch from the raw samples.
@Suite struct HealthMetricRollupsTests {
    static let patients = [Patient.ID(UUID(uuidString: "11111111-1111-4111-8111-111111111111")!),
                           Patient.ID(UUID(uuidString: "22222222-2222-4222-8222-222222222222")!)]
    static let base: Int64 = 1_763_000_000_000 - 1_763_000_000_000 % 86_400_000

    func replica(_ index: Int) throws -> ReplicatedStore {
        try ReplicatedStore.inMemory(
            schema: DomainTables.schema, migrations: DomainTables.registerMigrations,
            nodeID: NodeID(UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index))!), derivations: DomainTables.derivations()
        )
    }

    /// A random sample: whole-number values (sums are then exact in any order), a few devices,
    /// times on a coarse grid so that samples collide and sleep intervals overlap.
    static func sample(_ random: inout Xoshiro) -> HealthSample {
        let patient = patients.randomElement(using: &random)!
        let device = ["watch", "phone"].randomElement(using: &random)!
        let start = base + Int64.random(in: 0..<96, using: &random) * 5 * 60_000
        let type: MetricType = [.heartRate, .steps, .calories, .bloodOxygen, .sleepInBed, .sleepCore, .sleepDeep, .sleepAwake].randomElement(using: &random)!
        if type.aggregation == .interval {
            let end = start + Int64.random(in: 1...24, using: &random) * 10 * 60_000
            return HealthSample(patientID: patient, device: device, type: type, start: start, end: end, value: Double(end - start) / 3_600_000, source: nil)
        }
        let value = Double(Int.random(in: Int(type.plausibleRange.lowerBound)...Int(min(type.plausibleRange.upperBound, 200)), using: &random))
        return HealthSample(patientID: patient, device: device, type: type, start: start, end: start, value: value, source: nil)
    }

    /// The derived tables, row by row, as text.
    func derived(_ store: ReplicatedStore) async throws -> [String] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM metric_rollups ORDER BY 1, 2, 3").map { "rollup \($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM metric_totals ORDER BY 1, 2").map { "total \($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM sleep_spans ORDER BY 1, 2, 3").map { "span \($0)" }
        }
    }

    /// The same tables computed from scratch from the raw samples, in plain Swift.
    func recomputed(_ store: ReplicatedStore) async throws -> [String] {
        struct Stored: Sendable {
            let id: String, patient: String, type: String, start: Int64, end: Int64, value: Double
        }
        let rows = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM health_metrics ORDER BY id").map {
                Stored(id: $0["id"], patient: $0["patient_id"], type: $0["metric_type"], start: $0["start_ms"], end: $0["end_ms"], value: $0["value"])
            }
        }
        var buckets: [[String]: [Double]] = [:], latest: [[String]: Stored] = [:], counts: [[String]: Int] = [:]
        var spans: [[String]: [TimeSpan]] = [:]
        for row in rows {
            let type = try #require(MetricType(rawValue: row.type))
            counts[[row.patient, row.type], default: 0] += 1
            latest[[row.patient, row.type]] = row  // ordered by id: the last is the latest
            if type.aggregation == .interval {
                for measure in SleepMeasure.measures(of: type) { spans[[row.patient, measure.rawValue], default: []].append(TimeSpan(start: row.start, end: row.end)) }
            } else {
                buckets[[row.patient, row.type, String(row.start - row.start % HealthMetricRollups.bucketMilliseconds)], default: []].append(row.value)
            }
        }
        func number(_ value: Double) -> String { "\(value)" }  // as GRDB shows a REAL
        var lines: [String] = []
        for (key, values) in buckets.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            lines.append("rollup [patient_id:\"\(key[0])\" metric_type:\"\(key[1])\" bucket_ms:\(key[2]) total:\(number(values.reduce(0, +))) count:\(values.count) minimum:\(number(values.min()!)) maximum:\(number(values.max()!))]")
        }
        for (key, row) in latest.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            lines.append("total [patient_id:\"\(key[0])\" metric_type:\"\(key[1])\" count:\(counts[key]!) latest_id:\"\(row.id)\" latest_start_ms:\(row.start) latest_end_ms:\(row.end) latest_value:\(number(row.value))]")
        }
        for (key, list) in spans.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var merged: [TimeSpan] = []
            for span in list.sorted(by: { $0.start < $1.start }) {
                if let last = merged.last, last.meets(span) { merged[merged.count - 1] = TimeSpan(start: last.start, end: max(last.end, span.end)) } else { merged.append(span) }
            }
            for span in merged { lines.append("span [patient_id:\"\(key[0])\" measure:\"\(key[1])\" start_ms:\(span.start) end_ms:\(span.end)]") }
        }
        return lines
    }

    @Test(arguments: [20261124, 7, 99])
    func everyReplicaEndsWithTheRollupsOfItsSamples(seed: UInt64) async throws {
        var random = Xoshiro(seed: (seed, 1, 2, 3))
        let replicas = try (1...3).map(replica)
        let audit = replicas.map { AuditTrail(store: $0, clock: SystemClock()) }
        var conflicts = 0
        for _ in 0..<40 {
            let index = Int.random(in: 0..<3, using: &random)
            if Bool.random(using: &random) {
                // An ingest of a few samples; sometimes the first is also recorded, with another value,
                // at another replica (a conflict their merge resolves by replacing one copy).
                let samples = (0..<Int.random(in: 1...12, using: &random)).map { _ in Self.sample(&random) }
                var ingests = [(index, samples)]
                if let first = samples.first, Int.random(in: 0..<3, using: &random) == 0 {
                    conflicts += 1
                    ingests.append(((index + 1) % 3, [HealthSample(
                        patientID: first.patientID, device: first.device, type: first.type, start: first.start,
                        end: first.type.aggregation == .interval ? first.end + 600_000 : first.end, value: first.value + 1, source: "re-export"
                    )]))
                }
                for (target, samples) in ingests {
                    let principal = Principal(userID: User.ID(UUID()), role: .patient, patientID: samples[0].patientID)
                    for sample in samples {
                        _ = try await HealthMetricRepository(store: replicas[target], audit: audit[target])
                            .ingest([sample], of: sample.patientID, principal: principal, clientAddress: nil)
                    }
                }
            } else {
                let source = Int.random(in: 0..<3, using: &random)
                guard source != index else { continue }
                try await replicas[index].apply(try await replicas[source].changes(since: 0, limit: 100_000))
            }
        }
        for _ in 0..<2 {
            for target in 0..<3 {
                for source in 0..<3 where source != target {
                    try await replicas[target].apply(try await replicas[source].changes(since: 0, limit: 100_000))
                }
            }
        }
        let first = try await derived(replicas[0])
        #expect(!first.isEmpty && conflicts > 0)
        for replica in replicas {
            let derived = try await derived(replica)
            #expect(derived == first, "replicas hold the same rollups")
            let expected = try await recomputed(replica)
            #expect(derived == expected, "the rollups are those of the samples: \(Set(derived).symmetricDifference(expected).sorted().prefix(6))")
        }
    }
}
