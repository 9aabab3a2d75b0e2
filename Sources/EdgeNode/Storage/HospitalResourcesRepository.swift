import Domain
import Foundation
import GRDB
import Replication

/// Each facility's current resources, one replicated row per hospital (its id is the hospital's).
struct HospitalResourcesRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock

    /// The hospital's declared resources; `.none` before its first update.
    func resources(of hospital: Hospital.ID) async throws -> (HospitalResources, updatedAt: Date?) {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM hospital_resources WHERE id = ?", arguments: [hospital.description])
                .map { (Self.resources($0), Timestamps.parse($0["updated_at"])) } ?? (.none, nil)
        }
    }

    /// Replaces the hospital's resources (every field is written: the update is a whole snapshot).
    func update(_ resources: HospitalResources, of hospital: Hospital.ID, by user: User.ID) async throws -> Date {
        let now = clock.now()
        let values: [String: SQLValue] = [
            "hospital_id": .text(hospital.description), "total_beds": .integer(Int64(resources.totalBeds)),
            "available_beds": .integer(Int64(resources.availableBeds)), "oxygen_cylinders": .integer(Int64(resources.oxygenCylinders)),
            "ventilators": .integer(Int64(resources.ventilators)), "ambulances": .integer(Int64(resources.ambulances)),
            "blood_bags": .integer(Int64(resources.bloodBags)), "updated_at": .text(Timestamps.storage(now)),
            "updated_by": .text(user.description),
        ]
        try await store.write { write in
            let exists = try write.read { try Bool.fetchOne($0, sql: "SELECT 1 FROM hospital_resources WHERE id = ?", arguments: [hospital.description]) ?? false }
            if exists {
                try write.update(DomainTables.hospitalResources.name, id: hospital.description, set: values)
            } else {
                do {
                    try write.insert(into: DomainTables.hospitalResources.name, id: hospital.description, values: values)
                } catch ReplicationError.rowExists {
                    throw DomainError.conflict("This hospital's resources record was deleted and cannot be recreated")
                }
            }
        }
        return now
    }

    /// Every facility's resources, by hospital id.
    func all() async throws -> [String: HospitalResources] {
        try await store.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM hospital_resources").map { ($0["id"] as String, Self.resources($0)) })
        }
    }

    private static func resources(_ row: Row) -> HospitalResources {
        HospitalResources(
            totalBeds: row["total_beds"], availableBeds: row["available_beds"], oxygenCylinders: row["oxygen_cylinders"],
            ventilators: row["ventilators"], ambulances: row["ambulances"], bloodBags: row["blood_bags"]
        )
    }
}
