import Domain
import GRDB
import Replication

/// What a facility's nodes may change at the hub. A facility owns its hospital record, its
/// resources and its administrators' accounts: once such a row exists, only nodes whose
/// certificate names that facility may change its content or delete it, and no change may move
/// it to another facility. New rows: a node may register a new facility (a hospital code nobody
/// uses) and create accounts, but may create resources only for its own facility. Other rows
/// (patients' and doctors' accounts, sessions, revocations) may be written wherever a person is.
struct FacilityOwnership: PushAuthorizer {
    let governedTables: Set<String> = [DomainTables.hospitals.name, DomainTables.hospitalResources.name, DomainTables.users.name]

    func refusal(of change: ProposedChange, by pusher: Pusher, in db: Database) throws -> String? {
        let owners: Set<String>
        if let current = change.current {
            owners = try facilities(owning: current, in: change.table, db).union(change.incoming.map { try facilities(owning: $0, in: change.table, db) } ?? [])
        } else if let incoming = change.incoming {
            owners = try facilities(claimedByNew: incoming, id: change.id, in: change.table, db)
        } else {
            owners = []
        }
        guard let foreign = owners.sorted().first(where: { $0 != pusher.scope }) else { return nil }
        return "\(change.table) row \(change.id) belongs to facility \(foreign); a node of \(pusher.scope) may not change it"
    }

    /// The facility owning a row's version, if its table has owners.
    private func facilities(owning values: [String: SQLValue], in table: String, _ db: Database) throws -> Set<String> {
        switch table {
        case DomainTables.hospitals.name:
            return [values["hospital_code"]?.text ?? "none"]
        case DomainTables.hospitalResources.name:
            return [try facility(ofHospital: values["hospital_id"]?.text, in: db)]
        case DomainTables.users.name where values["role"]?.text == UserRole.hospitalAdmin.rawValue:
            return [try facility(ofHospital: values["hospital_id"]?.text, in: db)]
        default:
            return []
        }
    }

    /// The facilities a new row would take from: a hospital code already used by another hospital,
    /// or the hospital whose resources it declares.
    private func facilities(claimedByNew values: [String: SQLValue], id: String, in table: String, _ db: Database) throws -> Set<String> {
        switch table {
        case DomainTables.hospitals.name:
            let code = values["hospital_code"]?.text ?? ""
            let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM hospitals WHERE hospital_code = ? AND id != ?", arguments: [code, id]) ?? false
            return taken ? [code] : []
        case DomainTables.hospitalResources.name:
            return [try facility(ofHospital: values["hospital_id"]?.text, in: db)]
        default:
            return []
        }
    }

    private func facility(ofHospital id: String?, in db: Database) throws -> String {
        guard let id, let code = try String.fetchOne(db, sql: "SELECT hospital_code FROM hospitals WHERE id = ?", arguments: [id]) else {
            return "unknown (hospital \(id ?? "none") is not known here)"
        }
        return code
    }
}
