import Foundation

/// A bounded slice of one replica's change feed: the rows whose changes carry a `db_version`
/// in `(since, next]`, each sent whole with the stamps of its fields.
public struct ChangeBatch: Sendable, Equatable {
    /// The replica that served this batch (not necessarily where the changes originated).
    public var origin: NodeID
    /// The serving replica's incarnation: a new one means its feed restarted and checkpoints reset.
    public var incarnation: UUID
    public var schemaFingerprint: String
    public var since: Int64
    /// The checkpoint to store once this batch is applied.
    public var next: Int64
    /// The serving replica's latest `db_version` when the batch was read.
    public var head: Int64
    public var tables: [TableChanges]

    public init(
        origin: NodeID, incarnation: UUID, schemaFingerprint: String,
        since: Int64, next: Int64, head: Int64, tables: [TableChanges]
    ) {
        self.origin = origin
        self.incarnation = incarnation
        self.schemaFingerprint = schemaFingerprint
        self.since = since
        self.next = next
        self.head = head
        self.tables = tables
    }

    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }
    /// Whether the serving replica has more changes after this batch.
    public var hasMore: Bool { next < head }
}

/// The changed rows of one table, with the column order they are encoded in.
public struct TableChanges: Sendable, Equatable {
    public var table: String
    /// The table's replicated columns, `id` excluded.
    public var columns: [String]
    public var rows: [RowChange]

    public init(table: String, columns: [String], rows: [RowChange]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }
}

/// The whole current state of one row at the serving replica.
public struct RowChange: Sendable, Equatable {
    public var id: String
    /// Aligned with `TableChanges.columns`; empty for a deleted row.
    public var values: [SQLValue]
    /// Aligned with `values` for last-writer-wins tables; empty for append-only tables.
    public var stamps: [FieldStamp]
    /// Set when the row is deleted.
    public var tombstone: FieldStamp?

    public init(id: String, values: [SQLValue], stamps: [FieldStamp] = [], tombstone: FieldStamp? = nil) {
        self.id = id
        self.values = values
        self.stamps = stamps
        self.tombstone = tombstone
    }
}
