import Foundation
import PropertyBased
import Testing
@testable import Replication

/// Seeded random histories on several in-memory replicas: local writes, partial pulls, batches
/// delivered late, twice or never, partitions that heal. Afterwards every replica must hold the
/// same state, with no deleted row resurrected and every monotone column at its highest value.
@Suite struct ConvergencePropertyTests {
    struct Simulation {
        var generator: SeededGenerator
        let replicas: [ReplicatedStore]
        let clocks: [ManualClock]
        var inFlight: [(to: Int, batch: ChangeBatch)] = []
        var deleted = Set<String>()
        var highestStatus: [String: Int] = [:]

        init(seed: UInt64, replicaCount: Int) throws {
            generator = SeededGenerator(state: seed)
            let clocks = (0..<replicaCount).map { _ in ManualClock() }
            self.clocks = clocks
            replicas = try (0..<replicaCount).map { try TestSchema.replica($0 + 1, clock: clocks[$0]) }
        }

        mutating func pick<T>(_ elements: [T]) -> T { elements.randomElement(using: &generator)! }
        mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < probability }

        mutating func localWrite(at index: Int) async throws {
            let store = replicas[index]
            clocks[index].advance(by: UInt64.random(in: 0...3, using: &generator))  // clocks drift and tie
            let id = "t\(Int.random(in: 0..<8, using: &generator))"
            let live = try await store.thing(id) != nil
            let tombstoned = try await store.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM repl_tombstones WHERE row_id = ?", arguments: [id]) ?? false
            }
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<3 where !live && !tombstoned:
                let name = SQLValue.text("n\(Int.random(in: 0..<100, using: &generator))")
                try await store.write { try $0.insert(into: "things", id: id, values: ["name": name, "status": "PENDING"]) }
            case 3..<6 where live:
                let column = pick(["name", "phone", "count"])
                let value: SQLValue = column == "count"
                    ? .integer(Int64.random(in: 0..<5, using: &generator)) : .text("v\(Int.random(in: 0..<100, using: &generator))")
                try await store.write { try $0.update("things", id: id, set: [column: value]) }
            case 6 where live:
                let current = TestSchema.statusOrder.firstIndex(of: try await store.thing(id)!["status"]!)!
                let target = Int.random(in: current..<TestSchema.statusOrder.count, using: &generator)
                highestStatus[id] = max(highestStatus[id] ?? 0, target)
                try await store.write { try $0.update("things", id: id, set: ["status": .text(TestSchema.statusOrder[target])]) }
            case 7 where live:
                deleted.insert(id)
                try await store.write { try $0.delete(from: "things", id: id) }
            default:
                let patient = "p\(Int.random(in: 0..<3, using: &generator))", ts = Int64.random(in: 0..<20, using: &generator)
                let values: [String: SQLValue] = [
                    "patient": .text(patient), "kind": "hr", "ts": .integer(ts),
                    "value": .real(Double(Int.random(in: 50...150, using: &generator))),
                ]
                let eventID = "\(patient)|hr|\(ts)"
                try await store.write { try $0.append(to: "events", id: eventID, values: values) }
            }
        }

        /// Replica `to` fetches a batch from `from` at its checkpoint; it is put on the network.
        mutating func fetch(to: Int, from: Int) async throws {
            let since = try await replicas[to].checkpoint(of: replicas[from].identity.nodeID)?.dbVersion ?? 0
            let batch = try await replicas[from].changes(since: since, limit: Int.random(in: 1...12, using: &generator))
            inFlight.append((to, batch))
        }

        /// One in-flight batch is delivered (and sometimes kept to be delivered again) or lost.
        mutating func deliver() async throws {
            guard !inFlight.isEmpty else { return }
            let index = Int.random(in: 0..<inFlight.count, using: &generator)
            let (to, batch) = inFlight[index]
            if !chance(0.3) { inFlight.remove(at: index) }
            if chance(0.1) { return }  // lost
            try await replicas[to].apply(batch)
        }

        mutating func run(steps: Int) async throws {
            let count = replicas.count
            var partitioned = Set<[Int]>()
            for step in 0..<steps {
                if step % 25 == 0 {  // the network changes: a random set of links is cut
                    partitioned = Set((0..<count).flatMap { a in (0..<count).map { [a, $0] } }.filter { _ in chance(0.3) })
                }
                let a = Int.random(in: 0..<count, using: &generator), b = (a + Int.random(in: 1..<count, using: &generator)) % count
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<5: try await localWrite(at: a)
                case 5..<8 where !partitioned.contains([a, b]): try await fetch(to: a, from: b)
                default: try await deliver()
                }
            }
            // Heal: late batches arrive, then every replica pulls from every other until quiet.
            while !inFlight.isEmpty { try await deliver() }
            for _ in 0..<count {
                for to in 0..<count {
                    for from in 0..<count where from != to { try await replicas[to].pullAll(from: replicas[from], limit: 7) }
                }
            }
        }
    }

    @Test func replicasConvergeAfterAnyHistory() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 1...1_000_000)) { seed in
            do {
                var simulation = try Simulation(seed: UInt64(seed), replicaCount: 3 + seed % 2)
                try await simulation.run(steps: 150)
                let digests = try await simulation.replicas.asyncMap { try await $0.digest() }
                #expect(Set(digests).count == 1, "replicas diverged for seed \(seed)")
                for replica in simulation.replicas {
                    for id in simulation.deleted { #expect(try await replica.thing(id) == nil, "\(id) resurrected") }
                    for (id, rank) in simulation.highestStatus where !simulation.deleted.contains(id) {
                        #expect(try await replica.thing(id)?["status"] == TestSchema.statusOrder[rank])
                    }
                }
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}

extension ReplicaDigest: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(combined) }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

import GRDB
