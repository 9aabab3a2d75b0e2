import GRDB

/// Local state derived from an append-only table — rollups, summaries — kept in step with it in
/// the same transaction, for rows written here and rows merged from peers alike, so two replicas
/// holding the same rows hold the same derived state. Derived tables are not replicated.
public protocol AppendDerivation: Sendable {
    /// The append-only table it follows.
    var table: String { get }
    /// Takes the rows a transaction added to `table` (or replaced, see `AppendMerge`), in order;
    /// called once per such transaction, inside it, before it commits.
    func apply(_ rows: [AppendedRow], in db: Database) throws
}

/// A row a transaction added to an append-only table, or whose values it replaced.
public struct AppendedRow: Sendable, Equatable {
    public let id: String
    /// The row's values, in the table's column order.
    public let values: [SQLValue]
    /// The values it had before, when an incoming copy replaced them; `nil` for a new row.
    public let replaced: [SQLValue]?

    public init(id: String, values: [SQLValue], replaced: [SQLValue]? = nil) {
        self.id = id
        self.values = values
        self.replaced = replaced
    }
}
