import Foundation
import Testing
@testable import Replication

@Suite struct ChangeBatchCodecTests {
    @Test func roundTripsEveryValueKindStampAndTombstone() async throws {
        let a = try TestSchema.replica(1)
        try await a.write { write in
            try write.insert(into: "things", id: "t1", values: ["name": "Ünïcode ✓", "phone": nil, "count": -42, "status": "APPROVED"])
            try write.insert(into: "things", id: "t2", values: ["name": "gone"])
            try write.delete(from: "things", id: "t2")
            try write.append(to: "events", id: "e1", values: ["patient": "p", "kind": "hr", "ts": .integer(Int64.max), "value": 72.25])
        }
        let batch = try await a.changes(since: 0, limit: 100)
        let decoded = try ChangeBatchCodec.decode(ChangeBatchCodec.encode(batch))
        #expect(decoded == batch)
        #expect(decoded.tables.flatMap(\.rows).contains { $0.tombstone != nil })
    }

    @Test func malformedInputThrowsInsteadOfTrapping() async throws {
        let a = try TestSchema.replica(1)
        try await a.write { try $0.insert(into: "things", id: "t1", values: ["name": "x"]) }
        let bytes = ChangeBatchCodec.encode(try await a.changes(since: 0, limit: 100))
        #expect(throws: ReplicationError.self) { try ChangeBatchCodec.decode([]) }
        #expect(throws: ReplicationError.self) { try ChangeBatchCodec.decode(Array("hello world".utf8)) }
        for cut in stride(from: 1, to: bytes.count, by: 3) {
            #expect(throws: ReplicationError.self) { try ChangeBatchCodec.decode(Array(bytes.prefix(cut))) }
        }
        var generator = SeededGenerator(state: 99)
        for _ in 0..<300 {
            var corrupted = bytes
            corrupted[Int.random(in: 4..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = try? ChangeBatchCodec.decode(corrupted)  // must not crash; may or may not decode
        }
    }
}
