/// One field's current value together with the stamp of the write that produced it.
public struct FieldVersion: Hashable, Sendable {
    public let value: SQLValue
    public let stamp: FieldStamp

    public init(value: SQLValue, stamp: FieldStamp) {
        self.value = value
        self.stamp = stamp
    }
}

/// The merge rule of one field, as a pure function.
///
/// Laws (checked by the property tests): for any versions a, b, c of one field,
/// `merge(a, b) == merge(b, a)` (commutative), `merge(merge(a, b), c) == merge(a, merge(b, c))`
/// (associative) and `merge(a, a) == a` (idempotent), because the winner is the maximum of a
/// total order on versions.
public enum FieldMerge {
    /// Whether `incoming` replaces `current` under `rule`.
    public static func incomingWins(
        current: FieldVersion, incoming: FieldVersion, rule: ReplicatedTable.MergeRule
    ) -> Bool {
        switch rule {
        case .lastWriterWins:
            return current.stamp < incoming.stamp
        case .maxRegister(let order):
            let currentRank = rank(current.value, in: order)
            let incomingRank = rank(incoming.value, in: order)
            return currentRank != incomingRank ? currentRank < incomingRank : current.stamp < incoming.stamp
        case .firstWriterWins:
            // A field never written (a column added after the row was) carries the initial stamp,
            // which every real write replaces.
            if current.stamp == .initial || incoming.stamp == .initial { return current.stamp == .initial && incoming.stamp != .initial }
            return incoming.stamp < current.stamp
        }
    }

    /// The winner of two versions.
    public static func merge(_ a: FieldVersion, _ b: FieldVersion, rule: ReplicatedTable.MergeRule) -> FieldVersion {
        incomingWins(current: a, incoming: b, rule: rule) ? b : a
    }

    /// The position of a value in a max-register's order; values outside the order rank lowest.
    public static func rank(_ value: SQLValue, in order: [String]) -> Int {
        guard let text = value.text, let index = order.firstIndex(of: text) else { return -1 }
        return index
    }
}
