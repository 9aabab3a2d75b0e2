import Foundation
import GRDB
import GRDBSQLite

extension Statement {
    /// Executes this statement with positional values bound straight to SQLite: `leading` (if
    /// any) first, then `values`, then `trailing` and `blob` (if any).
    ///
    /// The hot path of replication (and of the benchmark's plain-insert baseline, so both use the
    /// same driver code): it avoids building `StatementArguments`, whose generic conversion costs
    /// more than the insert itself. The values must match the statement's placeholders.
    public func execute(
        leading: SQLValue? = nil, values: [SQLValue], trailing: SQLValue? = nil, blob: UnsafeRawBufferPointer? = nil
    ) throws {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        var index: Int32 = 1
        if let leading {
            Self.bind(leading, at: index, to: handle)
            index += 1
        }
        for value in values {
            Self.bind(value, at: index, to: handle)
            index += 1
        }
        if let trailing {
            Self.bind(trailing, at: index, to: handle)
            index += 1
        }
        if let blob {
            sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), transientDestructor)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let connection = sqlite3_db_handle(handle)
            let error = DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: String(cString: sqlite3_errmsg(connection)), sql: sql
            )
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }

    private static func bind(_ value: SQLValue, at index: Int32, to handle: SQLiteStatement) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let int): sqlite3_bind_int64(handle, index, int)
        case .real(let double): sqlite3_bind_double(handle, index, double)
        case .text(let string): sqlite3_bind_text(handle, index, string, -1, transientDestructor)
        case .blob(let data):
            _ = data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transientDestructor) }
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: bound text and blobs are copied before the call returns.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
