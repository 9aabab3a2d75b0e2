import Domain
import GRDB
import Replication

/// What a facility's nodes may change at the hub: only what their own facility owns. A facility
/// owns its hospital record, its resources (row id = hospital id), its admissions and its
/// HOSPITAL_ADMIN accounts; SYSTEM_ADMIN accounts belong to the hub's operators (created there with `edgectl`). Every
/// version of a governed row — as the hub has it and as it would be after the merge — must belong
/// to the pusher's facility, so no change moves a row between facilities or raises a role. New
/// facilities are registered at the hub; a node does not delete a governed row the hub has never
/// seen (a tombstone would bar it for good). A row whose hospital the hub does not know yet is
/// refused (recorded and reported). Patients', doctors' and sessions' rows may be written at any
/// facility a person visits.
struct FacilityOwnership: PushAuthorizer {
    let governedTables: Set<String> = [
        DomainTables.hospitals.name, DomainTables.hospitalResources.name, DomainTables.users.name, DomainTables.admissions.name,
    ]

    static let operators = "the hub's operators"

    func refusal(of change: ProposedChange, by pusher: Pusher, in db: Database) throws -> String? {
        if change.current == nil && change.incoming == nil {
            return "\(change.table) row \(change.id) is not known here; a node may not delete it"
        }
        var owners: Set<String> = []
        for version in [change.current, change.incoming].compactMap({ $0 }) {
            owners.formUnion(try facilities(owning: version, id: change.id, in: change.table, db))
        }
        guard let foreign = owners.sorted().first(where: { $0 != pusher.scope }) else { return nil }
        return "\(change.table) row \(change.id) belongs to \(foreign == Self.operators ? foreign : "facility \(foreign)"); a node of \(pusher.scope) may not change it"
    }

    /// Who owns one version of a row, if its table has owners.
    private func facilities(owning values: [String: SQLValue], id: String, in table: String, _ db: Database) throws -> Set<String> {
        switch table {
        case DomainTables.hospitals.name:
            return [values["hospital_code"]?.text ?? "none"]
        case DomainTables.hospitalResources.name:
            guard values["hospital_id"]?.text == id else { return ["none (its id is not its hospital's)"] }
            return [try facility(ofHospital: id, in: db)]
        case DomainTables.admissions.name:
            return [try facility(ofHospital: values["hospital_id"]?.text, in: db)]
        case DomainTables.users.name:
            switch values["role"]?.text {
            case UserRole.systemAdmin.rawValue: return [Self.operators]
            case UserRole.hospitalAdmin.rawValue: return [try facility(ofHospital: values["hospital_id"]?.text, in: db)]
            default: return []
            }
        default:
            return []
        }
    }

    private func facility(ofHospital id: String?, in db: Database) throws -> String {
        guard let id, let code = try String.fetchOne(db, sql: "SELECT hospital_code FROM hospitals WHERE id = ?", arguments: [id]) else {
            return "unknown (hospital \(id ?? "none") is not known here yet)"
        }
        return code
    }
}
