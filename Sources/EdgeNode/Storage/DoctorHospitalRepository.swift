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
            "joined_at": .text(Timestamps.storage(time)), "is_primary": .integer(1), "is_active": .integer(1), "approval": .text("PENDING"),
        ])
    }

    /// A doctor's current hospitals (approved or not), the one primary first.
    func links(of doctor: Doctor.ID) async throws -> [DoctorHospitalLink] {
        let links = try await store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT doctor_id, hospital_id, is_primary, approval, joined_at FROM doctor_hospitals WHERE doctor_id = ? AND is_active = 1
                """, arguments: [doctor.description]).compactMap(Self.link)
        }
        return DoctorHospitalLink.withOnePrimary(links)
    }

    /// The doctors working at a hospital: approved by its admin, or (`approved: false`) awaiting it.
    func doctors(at hospital: Hospital.ID, approved: Bool = true) async throws -> [Doctor.ID] {
        try await store.read { db in
            try String.fetchAll(db, sql: "SELECT doctor_id FROM doctor_hospitals WHERE hospital_id = ? AND is_active = 1 AND approval = ?",
                                arguments: [hospital.description, approved ? "APPROVED" : "PENDING"]).compactMap(Doctor.ID.init)
        }
    }

    /// The hospital's admin approves a doctor's link (audited); `DomainError.notFound` without one.
    func approve(_ doctor: Doctor.ID, at hospital: Hospital.ID, principal: Principal, clientAddress: String?) async throws {
        let id = Self.linkID(doctor: doctor, hospital: hospital)
        try await store.write { write in
            let active = try write.read { try Bool.fetchOne($0, sql: "SELECT is_active = 1 FROM doctor_hospitals WHERE id = ?", arguments: [id]) ?? false }
            guard active else { throw DomainError.notFound("This doctor has not asked to work at this hospital") }
            try write.update(DomainTables.doctorHospitals.name, id: id, set: ["approval": .text("APPROVED")])
            try audit.append(.init(principal, .update, "doctor_hospitals", id: doctor.description, clientAddress: clientAddress), in: write)
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
                        "joined_at": .text(Timestamps.storage(now)), "is_primary": primary, "is_active": .integer(1), "approval": .text("PENDING"),
                    ])
                }
            }
            try audit.append(.init(principal, .update, "doctor_hospitals", id: doctor.description, clientAddress: clientAddress), in: write)
        }
    }

    private static func link(_ row: Row) -> DoctorHospitalLink? {
        guard let doctor = Doctor.ID(row["doctor_id"] as String), let hospital = Hospital.ID(row["hospital_id"] as String) else { return nil }
        return DoctorHospitalLink(
            doctorID: doctor, hospitalID: hospital, isPrimary: row["is_primary"], isApproved: row["approval"] == "APPROVED",
            joinedAt: Timestamps.parse(row["joined_at"]) ?? .distantPast
        )
    }
}
