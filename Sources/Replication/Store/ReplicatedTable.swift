import GRDB

/// The description of one replicated table: everything the replication layer knows about it.
///
/// The table itself is created by its owner's migrations; it must have a `TEXT PRIMARY KEY` column
/// named `id` holding a globally unique id minted by the creating node, plus the declared columns.
public struct ReplicatedTable: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// Mutable rows; every field is a last-writer-wins register; deletion is a tombstone.
        case lastWriterWins = "lww"
        /// Immutable facts, inserted once, deduplicated by id; ids derive from the natural key.
        case appendOnly = "append"
    }

    /// How concurrent values of one field are reconciled.
    public enum MergeRule: Hashable, Sendable {
        /// The value with the greatest `(hlc, node)` wins.
        case lastWriterWins
        /// The value ranked highest in `order` wins, whatever the clocks say (monotone state:
        /// once a replica has moved up, every replica ends up there). Ties fall back to LWW.
        case maxRegister(order: [String])
        /// The value with the smallest `(hlc, node)` wins: set once when the row is created, it
        /// is never replaced by a later write (who owns a record). Concurrent creations at
        /// partitioned replicas resolve to the earliest everywhere. Local updates are refused.
        case firstWriterWins
    }

    public struct Column: Hashable, Sendable {
        public let name: String
        public let rule: MergeRule

        public init(_ name: String, rule: MergeRule = .lastWriterWins) {
            self.name = name
            self.rule = rule
        }
    }

    public let name: String
    public let kind: Kind
    /// The replicated columns, `id` excluded, in a fixed order shared by every replica.
    public let columns: [Column]

    public static func lastWriterWins(_ name: String, columns: [Column]) -> Self {
        Self(name: name, kind: .lastWriterWins, columns: columns)
    }

    public static func appendOnly(_ name: String, columns: [String]) -> Self {
        Self(name: name, kind: .appendOnly, columns: columns.map { Column($0) })
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// A row's values (in column order) by column name.
    public func named(_ values: [SQLValue]) -> [String: SQLValue] {
        Dictionary(uniqueKeysWithValues: zip(columnNames, values))
    }

    /// The columns the replication layer keeps in every row of a last-writer-wins table: the row's
    /// feed position (`repl_version`, unique-indexed) and its field stamps (`repl_stamps`).
    /// Keeping them in the row makes a replicated write one row write, not two.
    public static let bookkeepingColumns = ["repl_version", "repl_stamps"]

    /// Adds the bookkeeping columns to a last-writer-wins table. Call it from the migration that
    /// creates the table, right after `CREATE TABLE`; append-only tables need nothing.
    public func addBookkeeping(in db: Database) throws {
        guard kind == .lastWriterWins else { return }
        try db.execute(sql: """
            ALTER TABLE "\(name)" ADD COLUMN repl_version INTEGER;
            ALTER TABLE "\(name)" ADD COLUMN repl_stamps BLOB;
            CREATE UNIQUE INDEX "\(name)_repl_version" ON "\(name)" (repl_version);
            """)
    }

    /// The canonical text this table contributes to the schema fingerprint.
    var fingerprintText: String {
        let columnText = columns.map { column -> String in
            switch column.rule {
            case .lastWriterWins: column.name
            case .maxRegister(let order): column.name + "<" + order.joined(separator: "<")
            case .firstWriterWins: column.name + "<first"
            }
        }
        return "\(name):\(kind.rawValue):" + columnText.joined(separator: ",")
    }
}
