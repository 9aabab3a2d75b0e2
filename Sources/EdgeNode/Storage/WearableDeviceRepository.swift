import Domain
import Foundation
import GRDB
import Replication

/// Wearables registered by patients (`wearable_devices`), each change audited.
struct WearableDeviceRepository: Sendable {
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let audit: AuditTrail

    /// Registers a device, or — the same patient and device id again — renames and reactivates it.
    func register(_ registration: DeviceRegistration, principal: Principal, clientAddress: String?) async throws -> WearableDevice {
        let id = StableIDs.wearableDevice(patient: registration.patientID, externalID: registration.externalID)
        let table = DomainTables.wearableDevices.name, now = clock.now()
        try await store.write { write in
            let known = try write.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM wearable_devices WHERE id = ?", arguments: [id.description]) ?? false }
            let editable: [String: SQLValue] = ["name": .text(registration.name), "device_type": .text(registration.type), "is_active": .integer(1)]
            if known {
                try write.update(table, id: id.description, set: editable)
            } else {
                try write.insert(into: table, id: id.description, values: editable.merging([
                    "patient_id": .text(registration.patientID.description), "external_id": .text(registration.externalID),
                    "registered_at": .text(Timestamps.storage(now)),
                ]) { $1 })
            }
            try audit.append(.init(principal, known ? .update : .create, "wearable_device", id: id.description, patient: registration.patientID,
                                   clientAddress: clientAddress), in: write)
        }
        guard let device = try await devices(of: registration.patientID).first(where: { $0.id == id }) else {
            throw ReplicationError.rowNotFound(table: table, id: id.description)
        }
        return device
    }

    /// A patient's active devices, in order of registration.
    func devices(of patient: Patient.ID) async throws -> [WearableDevice] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM wearable_devices WHERE patient_id = ? AND is_active = 1 ORDER BY registered_at, id",
                             arguments: [patient.description]).compactMap(RowMapping.wearableDevice)
        }
    }
}
