import GRDB

/// The replication layer's own tables. Named migrations; never edited once shipped.
enum ReplicationMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("replication-v1") { db in
            try db.execute(sql: """
                CREATE TABLE repl_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;

                -- Deleted LWW rows: the row is gone, its tombstone stays and replicates.
                -- (Live LWW rows keep their feed position and stamps in their own row: see
                -- ReplicatedTable.addBookkeeping.)
                CREATE TABLE repl_tombstones (
                    db_version INTEGER PRIMARY KEY,
                    tbl TEXT NOT NULL,
                    row_id TEXT NOT NULL,
                    hlc INTEGER NOT NULL,
                    node TEXT NOT NULL,
                    UNIQUE (tbl, row_id)
                );

                -- The feed position of every row of append-only tables.
                CREATE TABLE repl_append_feed (
                    db_version INTEGER PRIMARY KEY,
                    tbl TEXT NOT NULL,
                    row_id TEXT NOT NULL
                );

                -- Per peer: how far its feed has been applied here, for which incarnation of it.
                CREATE TABLE repl_peer_checkpoint (
                    peer TEXT PRIMARY KEY NOT NULL,
                    incarnation TEXT NOT NULL,
                    db_version INTEGER NOT NULL CHECK (db_version >= 0),
                    updated_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("replication-v2-refused-changes") { db in
            try db.execute(sql: """
                -- Pushed changes this replica refused (the hub's authorization), for status.
                CREATE TABLE repl_refused_changes (
                    peer TEXT NOT NULL,
                    tbl TEXT NOT NULL,
                    row_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    count INTEGER NOT NULL CHECK (count > 0),
                    last_refused_at INTEGER NOT NULL,
                    PRIMARY KEY (peer, tbl, row_id)
                ) WITHOUT ROWID;
                """)
        }
    }
}
