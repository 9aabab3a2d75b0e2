import Domain
import Foundation
import GRDB
import Replication

/// The audit trail in the replicated, append-only `audit_logs` set: written in the same
/// transaction as the data change it records (or in its own, for reads), read back per patient,
/// per facility or whole.
struct AuditTrail: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    /// Entries recorded on their own share commits (copies of the trail share the queue).
    private let commits: AuditCommitQueue

    init(store: ReplicatedStore, clock: any PhysicalClock) {
        self.store = store
        self.clock = clock
        commits = AuditCommitQueue { [store, clock] events, durable in
            try await store.write(durable: durable) { write in
                for event in events { try Self.append(event, store: store, clock: clock, in: write) }
            }
        }
    }

    /// Appends `event` inside an open replicated write.
    func append(_ event: AuditEvent, in write: ReplicatedWrite) throws {
        try Self.append(event, store: store, clock: clock, in: write)
    }

    private static func append(_ event: AuditEvent, store: ReplicatedStore, clock: any PhysicalClock, in write: ReplicatedWrite) throws {
        var generator = SystemRandomNumberGenerator()
        let id = RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator).uuidString.lowercased()
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        try write.append(to: DomainTables.auditLogs.name, id: id, values: [
            "actor_id": text(event.actor?.userID.description), "actor_role": text(event.actor?.role.rawValue),
            "action": .text(event.action.rawValue), "object_type": .text(event.objectType), "object_id": text(event.objectID),
            "patient_id": text(event.patientID?.description ?? event.actor?.patientID?.description),
            "hospital_id": text(event.actor?.hospitalID?.description),
            "occurred_at": .text(Timestamps.storage(clock.now())), "client_address": text(event.clientAddress),
            "node_id": .text(store.identity.nodeID.description),
        ])
    }

    /// Appends `event` in a transaction of its own (reads, which change nothing else), grouped
    /// with the entries of concurrent callers into one commit; returns once it is committed.
    func record(_ event: AuditEvent) async throws {
        try await commits.record(event)
    }

    /// Which entries to list: one patient's, one facility's, or all; newest first, before a cursor.
    enum Scope: Sendable {
        case patient(Patient.ID)
        case hospital(Hospital.ID)
        case all
    }

    /// Up to `limit` entries of `scope` that come after the entry `before` (newest first; ties
    /// in time ordered by id, so pages never skip or repeat an entry).
    func entries(_ scope: Scope, before: AuditEntry.ID?, limit: Int) async throws -> [AuditEntry] {
        var conditions: [String] = [], values: [String] = []
        switch scope {
        case .patient(let id):
            conditions.append("patient_id = ?")
            values.append(id.description)
        case .hospital(let id):
            conditions.append("hospital_id = ?")
            values.append(id.description)
        case .all:
            break
        }
        if let before {
            conditions.append("(occurred_at, id) < (SELECT occurred_at, id FROM audit_logs WHERE id = ?)")
            values.append(before.description)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM audit_logs \(filter) ORDER BY occurred_at DESC, id DESC LIMIT ?"
        let arguments = values
        return try await store.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments) + [limit]).compactMap(RowMapping.auditEntry)
        }
    }
}
