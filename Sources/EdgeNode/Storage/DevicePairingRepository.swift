import Crypto
import Domain
import Foundation
import GRDB
import Replication

/// iPhone–app pairings (`device_pairings`), each change audited.
struct DevicePairingRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Pairs the patient's iPhone, or renews the pairing of the same iPhone.
    func pair(_ request: PairingRequest, patient: Patient.ID, principal: Principal, clientAddress: String?) async throws -> DevicePairing {
        let id = StableIDs.devicePairing(patient: patient, iosDeviceID: request.iosDeviceID)
        let table = DomainTables.devicePairings.name
        let editable: [String: SQLValue] = [
            "ios_user_id": .text(request.iosUserID), "android_user_id": .text(request.androidUserID), "device_name": .text(request.deviceName),
            "device_type": .text(request.deviceType), "pairing_code_sha256": .text(SHA256.hash(data: Data(request.pairingCode.utf8)).hexString),
            "paired_at": .text(Timestamps.storage(clock.now())), "is_active": .integer(1),
        ]
        try await store.write { write in
            let known = try write.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM device_pairings WHERE id = ?", arguments: [id.description]) ?? false }
            if known {
                try write.update(table, id: id.description, set: editable)
            } else {
                try write.insert(into: table, id: id.description, values: editable.merging([
                    "patient_id": .text(patient.description), "ios_device_id": .text(request.iosDeviceID),
                ]) { $1 })
            }
            try audit.append(.init(principal, .create, "device_pairing", id: id.description, patient: patient, clientAddress: clientAddress), in: write)
        }
        guard let pairing = try await pairing(id: id) else { throw ReplicationError.rowNotFound(table: table, id: id.description) }
        return pairing
    }

    func pairing(id: DevicePairing.ID) async throws -> DevicePairing? {
        try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM device_pairings WHERE id = ?", arguments: [id.description]).flatMap(RowMapping.devicePairing)
        }
    }

    /// A patient's active pairings, newest first.
    func pairings(of patient: Patient.ID) async throws -> [DevicePairing] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device_pairings WHERE patient_id = ? AND is_active = 1 ORDER BY paired_at DESC, id",
                             arguments: [patient.description]).compactMap(RowMapping.devicePairing)
        }
    }

    /// Ends a pairing (it can be paired again later).
    func unpair(_ pairing: DevicePairing, principal: Principal, clientAddress: String?) async throws {
        try await store.write { write in
            try write.update(DomainTables.devicePairings.name, id: pairing.id.description, set: ["is_active": .integer(0)])
            try audit.append(.init(principal, .delete, "device_pairing", id: pairing.id.description, patient: pairing.patientID, clientAddress: clientAddress), in: write)
        }
    }
}
