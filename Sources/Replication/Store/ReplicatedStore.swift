import Foundation
import GRDB
import Logging
import Synchronization

/// The replica: one SQLite database holding replicated tables, the change feed and the checkpoints.
///
/// It is the single choke point for replicated writes. Local writes go through `write(_:)`, remote
/// changes through `apply(_:)`; both record every change (stamp and `db_version`) in the same
/// SQLite transaction as the data, and guard triggers make any other write to a replicated table
/// fail. Reads go through `read(_:)`, which is read-only.
public final class ReplicatedStore: Sendable {
    public let identity: ReplicaIdentity
    public let schema: ReplicationSchema
    /// Wakes long-polling peers when the feed grows.
    public let notifier: ChangeNotifier
    let physicalClock: any PhysicalClock
    let database: any DatabaseWriter
    let state: Mutex<State>
    /// Derived state to keep in step, by the append-only table it follows.
    let derivations: [String: any AppendDerivation]
    /// The rows the running write transaction appended to followed tables (transactions are serial).
    let appended = Mutex<[String: [AppendedRow]]>([:])
    /// Actions to call after a commit that changed one of their tables (`onCommit(changing:_:)`).
    let commitActions = Mutex<[(tables: Set<String>, action: @Sendable () -> Void)]>([])

    struct State {
        var clock: HybridLogicalClock
        /// The last feed position handed out. Positions of a rolled-back transaction are skipped,
        /// never reused; the committed head is `dbVersion`.
        var allocatedVersion: Int64
        var clockSkewEvents: Int
        /// The tables the running write transaction recorded changes of.
        var changedTables: Set<String> = []
    }

    /// Opens (creating if needed) the database at `path` as a WAL-mode `DatabasePool`.
    ///
    /// - Parameters:
    ///   - migrations: registers the owner's migrations (which create the replicated tables).
    ///   - proposedNodeID: the node id to use if the database is new.
    ///   - derivations: derived state kept in step with append-only tables (their migrations
    ///     create its tables).
    public static func open(
        path: String, schema: ReplicationSchema, migrations: (inout DatabaseMigrator) -> Void,
        proposedNodeID: NodeID? = nil, clock: any PhysicalClock = SystemClock(), derivations: [any AppendDerivation] = []
    ) throws -> ReplicatedStore {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase(prepareConnection)
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try ReplicatedStore(
            database: pool, schema: schema, migrations: migrations,
            proposedNodeID: proposedNodeID, clock: clock, derivations: derivations
        )
    }

    /// Every connection's settings: an acknowledged write — an API request's or a pushed batch's —
    /// survives power loss; 64 MiB of pages per connection keep a large table's indexes in memory.
    public static func prepareConnection(_ db: Database) throws {
        try db.execute(sql: "PRAGMA synchronous = FULL")
        try db.execute(sql: "PRAGMA cache_size = -65536")
    }

    /// An in-memory replica, for tests and simulations.
    public static func inMemory(
        schema: ReplicationSchema, migrations: (inout DatabaseMigrator) -> Void,
        nodeID: NodeID, clock: any PhysicalClock = SystemClock(), derivations: [any AppendDerivation] = []
    ) throws -> ReplicatedStore {
        let queue = try DatabaseQueue()
        return try ReplicatedStore(
            database: queue, schema: schema, migrations: migrations,
            proposedNodeID: nodeID, clock: clock, derivations: derivations
        )
    }

    private init(
        database: any DatabaseWriter, schema: ReplicationSchema,
        migrations: (inout DatabaseMigrator) -> Void, proposedNodeID: NodeID?, clock: any PhysicalClock,
        derivations: [any AppendDerivation]
    ) throws {
        for derivation in derivations {
            guard (try? schema.table(derivation.table))?.kind == .appendOnly else {
                throw ReplicationError.invalidConfiguration("a derivation follows \(derivation.table), which is not an append-only table")
            }
        }
        self.derivations = Dictionary(derivations.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        var migrator = DatabaseMigrator()
        ReplicationMigrations.register(in: &migrator)
        migrations(&migrator)
        try migrator.migrate(database)

        let (identity, state) = try database.write { db in
            try WriteGuard.createTriggers(for: schema.tables.map(\.name), in: db)
            let identity = try ReplicaIdentity.loadOrCreate(in: db, proposedNodeID: proposedNodeID)
            for table in schema.tables where table.kind == .lastWriterWins {
                let columns = Set(try db.columns(in: table.name).map(\.name))
                guard columns.isSuperset(of: ReplicatedTable.bookkeepingColumns) else {
                    throw ReplicationError.invalidConfiguration(
                        "table \(table.name) lacks replication bookkeeping: call addBookkeeping(in:) in its migration"
                    )
                }
            }
            let version = try Self.feedHead(db, schema: schema)
            let highWater = try String.fetchOne(db, sql: "SELECT value FROM repl_meta WHERE key = 'hlc'")
                .flatMap(UInt64.init) ?? 0
            let state = State(
                clock: HybridLogicalClock(last: HLCTimestamp(rawValue: highWater)),
                allocatedVersion: version, clockSkewEvents: 0
            )
            return (identity, state)
        }
        self.database = database
        self.schema = schema
        self.physicalClock = clock
        self.identity = identity
        self.state = Mutex(state)
        self.notifier = ChangeNotifier(version: state.allocatedVersion)
    }

    /// The highest `db_version` recorded in the database.
    static func feedHead(_ db: Database, schema: ReplicationSchema) throws -> Int64 {
        try FeedPositions.all(in: schema).map { try Int64.fetchOne(db, sql: "SELECT max(\($0.column)) FROM \($0.table)") ?? 0 }.max() ?? 0
    }

    /// Runs a read-only query against a consistent snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.read(body)
    }

    /// Runs local writes in one transaction; every change they make is recorded in it.
    ///
    /// A durable transaction is on disk when this returns (`synchronous = FULL`). With `durable:
    /// false` it commits without waiting for the disk: it survives the process crashing, and
    /// reaches the disk with the next durable commit, a checkpoint or the kernel's writeback — for
    /// records whose loss in a power failure in that window is acceptable.
    public func write<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (ReplicatedWrite) throws -> T) async throws -> T {
        try await transaction(durable: durable) { db in
            let write = ReplicatedWrite(db: db, store: self)
            return try body(write)
        }
    }

    /// The latest committed `db_version` of this replica's feed.
    public var dbVersion: Int64 { notifier.version }

    /// How many received batches carried clock readings far ahead of local time.
    public var clockSkewEvents: Int { state.withLock { $0.clockSkewEvents } }

    /// The current reading of the hybrid logical clock (without advancing it).
    public var lastClockReading: HLCTimestamp { state.withLock { $0.clock.last } }

    /// Runs `body` as one guarded write transaction, persists the clock's high-water mark with it,
    /// and wakes feed waiters once it committed.
    func transaction<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let (result, version) = try await database.writeWithoutTransaction { db in
            if !durable { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            defer { if !durable { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
            var outcome: (T, Int64?)?
            try db.inTransaction {
                outcome = try self.guardedTransaction(db, body)
                return .commit
            }
            return outcome!
        }
        // Only positions this transaction recorded, now committed, reach the notifier (a rolled-back
        // transaction's positions are skipped and must never wake pollers).
        if let version { notifier.advance(to: version) }
        return result
    }

    /// The body of a write transaction: the guard lifted, derivations applied, the clock's mark
    /// and the commit actions registered; returns the body's result and the feed position reached.
    private func guardedTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> (T, Int64?) {
        try WriteGuard.allowing(db) {
            let before = self.state.withLock { state in
                state.changedTables.removeAll()
                return state.allocatedVersion
            }
            self.appended.withLock { $0.removeAll() }
            let result = try body(db)
            for (table, rows) in self.appended.withLock({ $0 }) {
                try self.derivations[table]?.apply(rows, in: db)
            }
            self.appended.withLock { $0.removeAll() }
            let (after, hlc, changedTables) = self.state.withLock { ($0.allocatedVersion, $0.clock.last, $0.changedTables) }
            let actions = changedTables.isEmpty ? [] : self.commitActions.withLock { $0 }.filter { !$0.tables.isDisjoint(with: changedTables) }
            if !actions.isEmpty { db.afterNextTransaction(onCommit: { _ in actions.forEach { $0.action() } }) }
            if after != before {
                try db.cachedStatement(
                    sql: "INSERT INTO repl_meta (key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                ).execute(arguments: [String(hlc.rawValue)])
            }
            return (result, after != before ? after : nil)
        }
    }

    /// Calls `action` as each transaction that changed any of `tables` commits (before the write
    /// returns) — local writes and merged changes alike — so state kept in memory from those
    /// tables knows to forget it.
    public func onCommit(changing tables: Set<String>, _ action: @escaping @Sendable () -> Void) {
        commitActions.withLock { $0.append((tables, action)) }
    }

    /// Notes a row added to (or replaced in) an append-only table, for the derivation following it.
    func noteAppended(_ row: @autoclosure () -> AppendedRow, to table: String) {
        guard derivations[table] != nil else { return }
        let row = row()
        appended.withLock { $0[table, default: []].append(row) }
    }

    /// A fresh stamp for a local write.
    func nextStamp() -> FieldStamp {
        let now = physicalClock.nowMilliseconds()
        let hlc = state.withLock { $0.clock.tick(now: now) }
        return FieldStamp(hlc: hlc, node: identity.nodeID)
    }

    /// The next feed position, for one recorded change of `table`.
    func nextDBVersion(for table: String) -> Int64 {
        state.withLock {
            $0.allocatedVersion += 1
            $0.changedTables.insert(table)
            return $0.allocatedVersion
        }
    }

    /// Folds the newest remote reading of a batch into the clock, counting skew.
    func receive(_ remote: HLCTimestamp) {
        let now = physicalClock.nowMilliseconds()
        state.withLock {
            if $0.clock.receive(remote, now: now) { $0.clockSkewEvents += 1 }
        }
    }
}
