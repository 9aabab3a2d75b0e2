import GRDB
import Replication

/// Every benchmark's baseline: the same rows into the same table and indexes, through the same
/// driver code (GRDB's cached statements, values bound by `Statement.execute(values:)`), with the
/// node's connection settings, in transactions of one batch each — and no replication
/// bookkeeping.
struct PlainInserts {
    let path: String
    let table: String
    /// The columns after `id`, in the rows' value order.
    let columns: [String]
    /// Creates the table (and whatever else the schema holds) in the fresh database.
    let createTable: (any DatabaseWriter) throws -> Void
    let batch: Int

    /// Seconds to insert `rows`.
    func seconds(_ rows: [(id: String, values: [SQLValue])]) throws -> Double {
        var configuration = Configuration()
        configuration.prepareDatabase(ReplicatedStore.prepareConnection)  // as every node's database
        let pool = try DatabasePool(path: path, configuration: configuration)
        try createTable(pool)
        let names = ["id"] + columns
        let sql = "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
        let started = ContinuousClock.now
        for chunk in stride(from: 0, to: rows.count, by: batch) {
            try pool.write { db in
                let statement = try db.cachedStatement(sql: sql)
                for row in rows[chunk..<min(chunk + batch, rows.count)] {
                    try statement.execute(leading: .text(row.id), values: row.values)
                }
            }
        }
        return (ContinuousClock.now - started).seconds
    }
}
