import Domain
import GRDB
import Replication

/// Read access to the facility directory.
struct HospitalDirectory: Sendable {
    let store: ReplicatedStore

    /// Every active hospital, by name.
    func all() async throws -> [Hospital] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM hospitals WHERE is_active = 1 ORDER BY name COLLATE NOCASE, id")
                .compactMap(RowMapping.hospital)
        }
    }

    /// Active hospitals whose name or code contains `query`, case-insensitively, at most 50.
    func search(_ query: String) async throws -> [Hospital] {
        let pattern = "%" + query.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM hospitals
                WHERE is_active = 1 AND (name LIKE ?1 ESCAPE '\\' OR hospital_code LIKE ?1 ESCAPE '\\')
                ORDER BY name COLLATE NOCASE, id LIMIT ?2
                """, arguments: [pattern, HospitalSearch.resultLimit]).compactMap(RowMapping.hospital)
        }
    }

    func hospital(code: HospitalCode) async throws -> Hospital? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM hospitals WHERE hospital_code = ? ORDER BY id LIMIT 1", arguments: [code.value])
                .flatMap(RowMapping.hospital)
        }
    }

    func hospital(id: Hospital.ID) async throws -> Hospital? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM hospitals WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.hospital)
        }
    }
}
