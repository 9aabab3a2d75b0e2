import Foundation
import PropertyBased
import Testing
@testable import Replication

@Suite struct MergeLawTests {
    static let rules: [ReplicatedTable.MergeRule] = [.lastWriterWins, .maxRegister(order: TestSchema.statusOrder), .firstWriterWins]

    static func version(_ generator: inout SeededGenerator) -> FieldVersion {
        let values: [SQLValue] = [.text("PENDING"), .text("APPROVED"), .text("DENIED"), .text("REVOKED"), .null, .integer(3)]
        guard Int.random(in: 0..<8, using: &generator) > 0 else { return FieldVersion(value: .null, stamp: .initial) }
        return FieldVersion(
            value: values.randomElement(using: &generator)!,
            stamp: FieldStamp(
                hlc: HLCTimestamp(milliseconds: UInt64.random(in: 1...3, using: &generator), counter: UInt16.random(in: 0...1, using: &generator)),
                node: TestSchema.nodeID(Int.random(in: 1...2, using: &generator))
            )
        )
    }

    @Test func fieldMergeIsCommutativeAssociativeAndIdempotent() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000)) { seed in
            var generator = SeededGenerator(state: UInt64(seed))
            let (a, b, c) = (Self.version(&generator), Self.version(&generator), Self.version(&generator))
            for rule in Self.rules {
                // Versions with equal stamps come from one write, so they carry one value.
                guard a.stamp != b.stamp || a == b, b.stamp != c.stamp || b == c, a.stamp != c.stamp || a == c else { continue }
                #expect(FieldMerge.merge(a, b, rule: rule) == FieldMerge.merge(b, a, rule: rule))
                #expect(FieldMerge.merge(FieldMerge.merge(a, b, rule: rule), c, rule: rule)
                        == FieldMerge.merge(a, FieldMerge.merge(b, c, rule: rule), rule: rule))
                #expect(FieldMerge.merge(a, a, rule: rule) == a)
            }
        }
    }

    @Test func maxRegisterNeverMovesDown() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000)) { seed in
            var generator = SeededGenerator(state: UInt64(seed))
            let (a, b) = (Self.version(&generator), Self.version(&generator))
            let order = TestSchema.statusOrder
            let merged = FieldMerge.merge(a, b, rule: .maxRegister(order: order))
            #expect(FieldMerge.rank(merged.value, in: order) == max(FieldMerge.rank(a.value, in: order), FieldMerge.rank(b.value, in: order)))
        }
    }

    @Test func firstWriterWinsKeepsTheEarliestRealWrite() {
        let early = FieldVersion(value: .text("owner-a"), stamp: FieldStamp(hlc: HLCTimestamp(milliseconds: 5, counter: 0), node: TestSchema.nodeID(2)))
        let late = FieldVersion(value: .text("owner-b"), stamp: FieldStamp(hlc: HLCTimestamp(milliseconds: 6, counter: 0), node: TestSchema.nodeID(1)))
        let unwritten = FieldVersion(value: .null, stamp: .initial)
        #expect(FieldMerge.merge(late, early, rule: .firstWriterWins) == early)
        #expect(FieldMerge.merge(early, late, rule: .firstWriterWins) == early)
        #expect(FieldMerge.merge(unwritten, late, rule: .firstWriterWins) == late)
        #expect(FieldMerge.merge(late, unwritten, rule: .firstWriterWins) == late)
    }

    /// A row whose owner is first-writer-wins and whose note is last-writer-wins: a later creation
    /// of the same row changes the note, never the owner; an earlier one changes the owner.
    @Test func rowMergeKeepsTheFirstOwner() {
        let table = ReplicatedTable.lastWriterWins("owned", columns: [.init("owner", rule: .firstWriterWins), .init("note")])
        let first = FieldStamp(hlc: HLCTimestamp(milliseconds: 1, counter: 0), node: TestSchema.nodeID(2))
        let second = FieldStamp(hlc: HLCTimestamp(milliseconds: 2, counter: 0), node: TestSchema.nodeID(1))
        let local = LocalRowState.live(values: [.text("a"), .text("x")], stamps: [first, first])
        let later = RowChange(id: "r", values: [.text("b"), .text("y")], stamps: [second, second])
        #expect(RowMerge.decide(local: local, incoming: later, table: table) == .update([1], localStamps: [first, first]))
        let laterLocal = LocalRowState.live(values: [.text("b"), .text("y")], stamps: [second, second])
        let earlier = RowChange(id: "r", values: [.text("a"), .text("x")], stamps: [first, first])
        #expect(RowMerge.decide(local: laterLocal, incoming: earlier, table: table) == .update([0], localStamps: [second, second]))
    }

    /// Stored stamps: a row written in one go shares one stamp over the fields it had; a column
    /// added to the table later reads as never written.
    @Test func storedStampsLeaveLaterColumnsUnwritten() throws {
        let stamp = FieldStamp(hlc: HLCTimestamp(milliseconds: 7, counter: 1), node: TestSchema.nodeID(3))
        let other = FieldStamp(hlc: HLCTimestamp(milliseconds: 8, counter: 0), node: TestSchema.nodeID(1))
        #expect(try StampCoding.decode(StampCoding.encode([stamp, stamp, stamp]), count: 5) == [stamp, stamp, stamp, .initial, .initial])
        #expect(try StampCoding.decode(StampCoding.encode([stamp, other]), count: 3) == [stamp, other, .initial])
        let legacy = StampCoding.encode([stamp, stamp]).prefix(25)
        #expect(try StampCoding.decode(Data(legacy), count: 4) == [stamp, stamp, stamp, stamp], "rows stored before coverage was recorded")
    }

    @Test func rowMergeDecisions() {
        let table = TestSchema.things
        let old = FieldStamp(hlc: HLCTimestamp(milliseconds: 1, counter: 0), node: TestSchema.nodeID(1))
        let new = FieldStamp(hlc: HLCTimestamp(milliseconds: 2, counter: 0), node: TestSchema.nodeID(1))
        let values: [SQLValue] = [.text("a"), .text("1"), .integer(1), .text("PENDING")]
        let local = LocalRowState.live(values: values, stamps: [old, new, old, old])
        let incoming = RowChange(id: "t", values: [.text("b"), .text("2"), .integer(1), .text("APPROVED")], stamps: [new, old, old, old])
        #expect(RowMerge.decide(local: local, incoming: incoming, table: table) == .update([0, 3], localStamps: [old, new, old, old]))
        #expect(RowMerge.decide(local: .absent, incoming: incoming, table: table) == .insert)
        #expect(RowMerge.decide(local: .deleted(old), incoming: incoming, table: table) == .keep)
        let tombstone = RowChange(id: "t", values: [], tombstone: new)
        #expect(RowMerge.decide(local: local, incoming: tombstone, table: table) == .delete(new))
        #expect(RowMerge.decide(local: .deleted(new), incoming: RowChange(id: "t", values: [], tombstone: old), table: table) == .keep)
        #expect(RowMerge.decide(local: .deleted(old), incoming: tombstone, table: table) == .delete(new))
    }
}
