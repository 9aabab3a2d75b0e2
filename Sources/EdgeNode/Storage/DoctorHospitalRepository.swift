import Domain
import Foundation
import GRDB
import Replication

/// Which hospitals each doctor works at, in the replicated `doctor_hospitals` table.
struct DoctorHospitalRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    private static let namespace = UUID(uuidString: "6b0f4d2e-93a1-4c7e-8f25-1d3a9c7e5b04")!

    /// The link's row id: one row per doctor and hospital on every replica.
    static func linkID(doctor: Doctor.ID, hospital: Hospital.ID) -> String {
        RowIDs.nameBased(namespace: namespace, name: "\(doctor)/\(hospital)").uuidString.lowercased()
    }

    /// Links a new doctor to the hospital they signed up with (inside the sign-up's write).
    static func linkAtSignUp(_ doctor: Doctor.ID, to hospital: Hospital.ID, at time: Date, in write: ReplicatedWrite) throws {
        try write.insert(into: DomainTables.doctorHospitals.name, id: linkID(doctor: doctor, hospital: hospital), values: [
            "doctor_id": .text(doctor.description), "hospital_id": .text(hospital.description),
            "joined_at": .text(Timestamps.storage(time)), "is_primary": .integer(1), "is_active": .integer(1),
        ])
    }

    /// A doctor's current hospitals, the primary first.
    func links(of doctor: Doctor.ID) async throws -> [DoctorHospitalLink] {
        try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT doctor_id, hospital_id, is_primary, joined_at FROM doctor_hospitals
                WHERE doctor_id = ? AND is_active = 1 ORDER BY is_primary DESC, joined_at
                """, arguments: [doctor.description]).compactMap(Self.link)
        }
    }

    /// The doctors currently working at a hospital.
    func doctors(at hospital: Hospital.ID) async throws -> [Doctor.ID] {
        try await store.read { db in
            try String.fetchAll(db, sql: "SELECT doctor_id FROM doctor_hospitals WHERE hospital_id = ? AND is_active = 1", arguments: [hospital.description])
                .compactMap(Doctor.ID.init)
        }
    }

    /// Makes `hospitals` exactly the doctor's current hospitals (leaving the others), with its
    /// primary, in one write.
    func set(_ hospitals: DoctorHospitals, of doctor: Doctor.ID, principal: Principal, clientAddress: String?) async throws {
        let now = clock.now()
        let table = DomainTables.doctorHospitals.name
        try await store.write { write in
            let current = try write.read { db in
                try String.fetchAll(db, sql: "SELECT hospital_id FROM doctor_hospitals WHERE doctor_id = ?", arguments: [doctor.description])
            }
            for raw in current {
                guard let hospital = Hospital.ID(raw), !hospitals.hospitalIDs.contains(hospital) else { continue }
                try write.update(table, id: Self.linkID(doctor: doctor, hospital: hospital), set: ["is_active": .integer(0), "is_primary": .integer(0)])
            }
            for hospital in hospitals.hospitalIDs {
                let id = Self.linkID(doctor: doctor, hospital: hospital), primary: SQLValue = .integer(hospital == hospitals.primary ? 1 : 0)
                if current.contains(hospital.description) {
                    try write.update(table, id: id, set: ["is_active": .integer(1), "is_primary": primary])
                } else {
                    try write.insert(into: table, id: id, values: [
                        "doctor_id": .text(doctor.description), "hospital_id": .text(hospital.description),
                        "joined_at": .text(Timestamps.storage(now)), "is_primary": primary, "is_active": .integer(1),
                    ])
                }
            }
            try audit.append(.init(principal, .update, "doctor_hospitals", id: doctor.description, clientAddress: clientAddress), in: write)
        }
    }

    private static func link(_ row: Row) -> DoctorHospitalLink? {
        guard let doctor = Doctor.ID(row["doctor_id"] as String), let hospital = Hospital.ID(row["hospital_id"] as String) else { return nil }
        return DoctorHospitalLink(doctorID: doctor, hospitalID: hospital, isPrimary: row["is_primary"], joinedAt: Timestamps.parse(row["joined_at"]) ?? .distantPast)
    }
}
