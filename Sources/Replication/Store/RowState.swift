/// What a replica holds for one row of a last-writer-wins table.
public enum LocalRowState: Equatable, Sendable {
    case absent
    case deleted(FieldStamp)
    /// Values and stamps aligned with the table's columns (a column added after the row was
    /// written has the `initial` stamp, which every real write beats).
    case live(values: [SQLValue], stamps: [FieldStamp])
}

/// What merging an incoming row into the local one requires.
public enum RowMergeDecision: Equatable, Sendable {
    /// Nothing changes (the local state already dominates, or the row is deleted here).
    case keep
    /// The row is new here: insert it whole with the incoming stamps.
    case insert
    /// The row exists here: take the incoming value of these column positions (the local
    /// stamps are passed along so the new stamp list can be written without another read).
    case update([Int], localStamps: [FieldStamp])
    /// Delete the local row (if any) and record this tombstone.
    case delete(FieldStamp)
}

/// The row-level merge of last-writer-wins tables, as a pure function.
///
/// Deletion wins over every concurrent or later update (a tombstone is never resurrected); of two
/// tombstones the greater stamp is kept so every replica stores the same one. Live rows merge
/// field by field with `FieldMerge`, so concurrent edits of different fields both survive.
public enum RowMerge {
    public static func decide(local: LocalRowState, incoming: RowChange, table: ReplicatedTable) -> RowMergeDecision {
        if let tombstone = incoming.tombstone {
            if case .deleted(let existing) = local, existing >= tombstone { return .keep }
            return .delete(tombstone)
        }
        switch local {
        case .deleted:
            return .keep
        case .absent:
            return .insert
        case .live(let values, let stamps):
            var winners: [Int] = []
            for (index, column) in table.columns.enumerated() {
                let incomingVersion = FieldVersion(value: incoming.values[index], stamp: incoming.stamps[index])
                let localVersion = FieldVersion(value: values[index], stamp: stamps[index])
                if FieldMerge.incomingWins(current: localVersion, incoming: incomingVersion, rule: column.rule) {
                    winners.append(index)
                }
            }
            return winners.isEmpty ? .keep : .update(winners, localStamps: stamps)
        }
    }
}

/// The merge rule of append-only rows, as a pure function.
///
/// An append-only row's id is derived from its natural key by its writer (for metrics: patient,
/// device, type, timestamp), so two replicas that record the same fact mint the same id. Should
/// they record different values for it, the value with the smaller canonical encoding wins on
/// every replica: deterministic, commutative and idempotent, like any max/min register.
public enum AppendMerge {
    public static func incomingWins(local: [SQLValue], incoming: [SQLValue]) -> Bool {
        local != incoming && encoding(of: incoming).lexicographicallyPrecedes(encoding(of: local))
    }

    static func encoding(of values: [SQLValue]) -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: 64)
        for value in values { ChangeBatchCodec.write(value, to: &writer) }
        return writer.bytes
    }
}
