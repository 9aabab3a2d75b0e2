import GRDB

/// Makes the store the only path that can write replicated tables.
///
/// Each replicated table gets `BEFORE INSERT/UPDATE/DELETE`
/// triggers that abort unless the current transaction carries the store's marker row in
/// `repl_meta`. The store inserts the marker when its write transaction starts and deletes it
/// before commit, so no other transaction — another connection, or a stray
/// `db.execute("UPDATE users ...")` — ever sees it, and such a write fails instead of making a
/// change no replica would hear of. Plain SQL: no custom function, cheap per row. (The `repl_*`
/// bookkeeping tables are left unguarded: only this module knows them, and a guard there would
/// cost every replicated row a second trigger.)
enum WriteGuard {
    private static let marker = "write_open"

    /// Runs `body` inside a write transaction with replicated writes allowed. (The two statements
    /// run in every write transaction, so they are prepared once per connection.)
    static func allowing<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "INSERT INTO repl_meta (key, value) VALUES ('\(marker)', '1')").execute()
        let result = try body()
        try db.cachedStatement(sql: "DELETE FROM repl_meta WHERE key = '\(marker)'").execute()
        return result
    }

    /// Creates the guard triggers of `tables` if they are missing.
    static func createTriggers(for tables: [String], in db: Database) throws {
        for table in tables {
            for operation in ["INSERT", "UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TRIGGER IF NOT EXISTS "repl_guard_\(table)_\(operation.lowercased())"
                    BEFORE \(operation) ON "\(table)"
                    WHEN NOT EXISTS (SELECT 1 FROM repl_meta WHERE key = '\(marker)')
                    BEGIN SELECT RAISE(ABORT, 'replicated table \(table) is written only through the replication layer'); END
                    """)
            }
        }
    }
}
