import GRDB
import Synchronization

/// Makes the store the only path that can write replicated tables.
///
/// Each replicated table (and the store's own feed tables) gets `BEFORE INSERT/UPDATE/DELETE`
/// triggers that abort unless the SQL function `repl_write_allowed()` says the current write runs
/// inside the store. A stray `db.execute("UPDATE users ...")` therefore fails instead of writing a
/// change no replica would ever hear of.
final class WriteGuard: Sendable {
    static let functionName = "repl_write_allowed"
    private let open = Mutex(false)

    /// Registers the SQL function on every connection of the database.
    func install(in configuration: inout Configuration) {
        let function = DatabaseFunction(Self.functionName, argumentCount: 0, pure: false) { [self] _ in
            self.open.withLock { $0 }
        }
        configuration.prepareDatabase { db in db.add(function: function) }
    }

    /// Runs `body` with replicated writes allowed. Writes are serialized, so one flag suffices.
    func allowing<T>(_ body: () throws -> T) rethrows -> T {
        open.withLock { $0 = true }
        defer { open.withLock { $0 = false } }
        return try body()
    }

    /// Creates the guard triggers of `tables` if they are missing.
    static func createTriggers(for tables: [String], in db: Database) throws {
        for table in tables {
            for operation in ["INSERT", "UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TRIGGER IF NOT EXISTS "repl_guard_\(table)_\(operation.lowercased())"
                    BEFORE \(operation) ON "\(table)" WHEN NOT \(functionName)()
                    BEGIN SELECT RAISE(ABORT, 'replicated table \(table) is written only through the replication layer'); END
                    """)
            }
        }
    }
}
