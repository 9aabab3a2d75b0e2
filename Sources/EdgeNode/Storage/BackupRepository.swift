import Domain
import Foundation
import GRDB
import Replication

/// Backups' metadata in the replicated `backups` table, each change audited. Only their owner
/// sees them: every read here is by owner.
struct BackupRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// What `GET /backup/sync/status` reports.
    struct Status: Sendable {
        let lastBackup: Date?
        let count: Int
        let totalBytes: Int
        let devices: [String]
    }

    /// Records an uploaded backup whose bytes are already a blob; with `keeping`, the owner's
    /// older backups of the same device beyond the newest `keeping` are deleted in the same
    /// transaction (replicated tombstones).
    func add(_ upload: BackupUpload, blob: (sha256: String, size: Int), keeping: Int?, principal: Principal, clientAddress: String?) async throws -> Backup {
        var generator = SystemRandomNumberGenerator()
        let backup = Backup(
            id: Backup.ID(RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator)), ownerID: principal.userID,
            fileName: upload.fileName, sizeBytes: blob.size, sha256: blob.sha256, deviceID: upload.deviceID, deviceName: upload.deviceName,
            createdAt: clock.now()
        )
        let values: [String: SQLValue] = [
            "owner_id": .text(backup.ownerID.description), "file_name": .text(backup.fileName), "size_bytes": .integer(Int64(backup.sizeBytes)),
            "sha256": .text(backup.sha256), "device_id": .text(backup.deviceID), "device_name": .text(backup.deviceName),
            "created_at": .text(Timestamps.storage(backup.createdAt)),
        ]
        try await store.write { write in
            try write.insert(into: DomainTables.backups.name, id: backup.id.description, values: values)
            try audit.append(.init(principal, .create, "backup", id: backup.id.description, clientAddress: clientAddress), in: write)
            guard let keeping else { return }
            let beyond = try write.read { db in
                try String.fetchAll(db, sql: """
                    SELECT id FROM backups WHERE owner_id = ? AND device_id = ? ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?
                    """, arguments: [backup.ownerID.description, backup.deviceID, keeping])
            }
            for id in beyond { try Self.delete(id, principal: principal, clientAddress: clientAddress, audit: audit, in: write) }
        }
        return backup
    }

    /// Deletes a backup's record (a replicated tombstone), audited.
    func delete(_ backup: Backup, principal: Principal, clientAddress: String?) async throws {
        try await store.write { write in
            try Self.delete(backup.id.description, principal: principal, clientAddress: clientAddress, audit: audit, in: write)
        }
    }

    private static func delete(_ id: String, principal: Principal, clientAddress: String?, audit: AuditTrail, in write: ReplicatedWrite) throws {
        try write.delete(from: DomainTables.backups.name, id: id)
        try audit.append(.init(principal, .delete, "backup", id: id, clientAddress: clientAddress), in: write)
    }

    /// The owner's backup with this id; `nil` for an unknown id or another user's backup alike.
    func backup(id: Backup.ID, of owner: User.ID) async throws -> Backup? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM backups WHERE id = ? AND owner_id = ?", arguments: [id.description, owner.description])
                .flatMap(RowMapping.backup)
        }
    }

    /// The owner's backups, newest first: at most `limit`, older than `before` when given.
    func backups(of owner: User.ID, limit: Int, before: Backup.ID? = nil) async throws -> [Backup] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM backups WHERE owner_id = ? AND (? IS NULL OR id < ?) ORDER BY created_at DESC, id DESC LIMIT ?
                """, arguments: [owner.description, before?.description, before?.description, limit]).compactMap(RowMapping.backup)
        }
    }

    func status(of owner: User.ID) async throws -> Status {
        try await store.read { db in
            let totals = try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(sum(size_bytes), 0) AS bytes, max(created_at) AS last FROM backups WHERE owner_id = ?",
                                          arguments: [owner.description])
            let devices = try String.fetchAll(db, sql: "SELECT DISTINCT device_name FROM backups WHERE owner_id = ? ORDER BY device_name", arguments: [owner.description])
            return Status(
                lastBackup: (totals?["last"] as String?).flatMap(Timestamps.parse), count: totals?["n"] ?? 0, totalBytes: totals?["bytes"] ?? 0,
                devices: devices
            )
        }
    }
}
