import GRDB

/// The local write API of one transaction of `ReplicatedStore.write(_:)`.
///
/// Every method stamps its change with the hybrid logical clock and gives it a feed position
/// (`db_version`) in the same transaction. Queries inside the transaction use `read(_:)`, which
/// is read-only: there is no other way to write.
public final class ReplicatedWrite {
    private let db: Database
    private let store: ReplicatedStore

    init(db: Database, store: ReplicatedStore) {
        self.db = db
        self.store = store
    }

    /// Runs read-only queries inside the transaction (for uniqueness checks and the like).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try db.readOnly { try body(db) }
    }

    /// Creates a row of a last-writer-wins table. Columns left out take the table's defaults;
    /// every column is stamped, so the whole row replicates.
    public func insert(into tableName: String, id: String, values: [String: SQLValue]) throws {
        let (statements, row) = try prepare(tableName, kind: .lastWriterWins, values: values)
        guard case .absent = try statements.state(of: id) else {
            throw ReplicationError.rowExists(table: tableName, id: id)
        }
        let stamp = store.nextStamp()
        let given = statements.table.columns.indices.filter { values[statements.table.columns[$0].name] != nil }
        try statements.insert(
            id: id, columns: given, values: row, stamps: Array(repeating: stamp, count: row.count), version: store.nextDBVersion(for: statements.table.name)
        )
    }

    /// Sets some fields of a row, creating it when absent. A row created so stamps only the fields
    /// given; the others carry the initial stamp, which any real write beats — so replicas that
    /// each create the row, concurrently, with different fields keep every field written. (A
    /// deleted row stays deleted: `rowNotFound`.)
    public func upsert(into tableName: String, id: String, set values: [String: SQLValue]) throws {
        let (statements, row) = try prepare(tableName, kind: .lastWriterWins, values: values)
        switch try statements.state(of: id) {
        case .live:
            try update(tableName, id: id, set: values)
        case .deleted:
            throw ReplicationError.rowNotFound(table: tableName, id: id)
        case .absent:
            let stamp = store.nextStamp()
            let columns = statements.table.columns
            try statements.insert(
                id: id, columns: columns.indices.filter { values[columns[$0].name] != nil }, values: row,
                stamps: columns.map { values[$0.name] != nil ? stamp : .initial }, version: store.nextDBVersion(for: statements.table.name)
            )
        }
    }

    /// Changes some fields of an existing row. Unchanged values record nothing; a monotone column
    /// may only move up its order; a first-writer-wins column never changes.
    public func update(_ tableName: String, id: String, set values: [String: SQLValue]) throws {
        let (statements, _) = try prepare(tableName, kind: .lastWriterWins, values: [:])
        guard case .live(let current, var stamps) = try statements.state(of: id) else {
            throw ReplicationError.rowNotFound(table: tableName, id: id)
        }
        var proposed = current
        var changed: [Int] = []
        for (index, column) in statements.table.columns.enumerated() {
            guard let value = values[column.name] else { continue }
            guard value != current[index] else { continue }
            let movesDown: Bool = switch column.rule {
            case .lastWriterWins: false
            case .maxRegister(let order): FieldMerge.rank(value, in: order) < FieldMerge.rank(current[index], in: order)
            case .firstWriterWins: true
            }
            if movesDown { throw ReplicationError.monotonicViolation(table: tableName, column: column.name) }
            proposed[index] = value
            changed.append(index)
        }
        try checkColumns(values.keys, of: statements.table)
        guard !changed.isEmpty else { return }
        let stamp = store.nextStamp()
        for column in changed { stamps[column] = stamp }
        try statements.update(id: id, columns: changed, values: proposed, stamps: stamps, version: store.nextDBVersion(for: statements.table.name))
    }

    /// Deletes a row by replacing it with a tombstone that replicates. Its id is never reused.
    public func delete(from tableName: String, id: String) throws {
        let (statements, _) = try prepare(tableName, kind: .lastWriterWins, values: [:])
        guard case .live = try statements.state(of: id) else {
            throw ReplicationError.rowNotFound(table: tableName, id: id)
        }
        try statements.delete(id: id, tombstone: store.nextStamp(), version: store.nextDBVersion(for: statements.table.name))
    }

    /// Adds a row to an append-only table; returns `false` (and records nothing) when a row with
    /// this id is already there. The id must be derived from the row's natural key (see
    /// `AppendMerge`), so that replicas recording the same fact agree on it.
    @discardableResult
    public func append(to tableName: String, id: String, values: [String: SQLValue]) throws -> Bool {
        let (statements, row) = try prepare(tableName, kind: .appendOnly, values: values)
        guard try statements.insertIfAbsent(id: id, values: row) else { return false }
        try statements.recordAppend(id: id, version: store.nextDBVersion(for: statements.table.name))
        store.noteAppended(AppendedRow(id: id, values: row), to: tableName)
        return true
    }

    /// Adds many rows to an append-only table, each given as its id and its values in the table's
    /// column order (`ReplicatedTable.columnNames`); rows already there are skipped, as by
    /// `append(to:id:values:)`. Returns how many were added.
    public func append(to tableName: String, rows: some Sequence<(id: String, values: [SQLValue])>) throws -> Int {
        let (statements, _) = try prepare(tableName, kind: .appendOnly, values: [:])
        let width = statements.table.columns.count
        var added = 0
        for row in rows {
            guard row.values.count == width else { throw ReplicationError.malformedBatch("row \(row.id) of \(tableName) has the wrong number of fields") }
            guard try statements.insertIfAbsent(id: row.id, values: row.values) else { continue }
            try statements.recordAppend(id: row.id, version: store.nextDBVersion(for: statements.table.name))
            store.noteAppended(AppendedRow(id: row.id, values: row.values), to: tableName)
            added += 1
        }
        return added
    }

    private func prepare(
        _ tableName: String, kind: ReplicatedTable.Kind, values: [String: SQLValue]
    ) throws -> (TableStatements, [SQLValue]) {
        let table = try store.schema.table(tableName)
        guard table.kind == kind else { throw ReplicationError.unknownTable("\(tableName) is not a \(kind.rawValue) table") }
        try checkColumns(values.keys, of: table)
        let row = table.columnNames.map { values[$0] ?? .null }
        return (TableStatements(db: db, table: table), row)
    }

    private func checkColumns(_ names: Dictionary<String, SQLValue>.Keys, of table: ReplicatedTable) throws {
        for name in names where !table.columnNames.contains(name) {
            throw ReplicationError.unknownColumn(table: table.name, column: name)
        }
    }
}
