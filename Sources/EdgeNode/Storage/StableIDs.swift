import Domain
import Foundation
import Replication

/// Ids that every node derives the same way, so rows created independently on two replicas are
/// one row: an account per email, a patient per Aadhaar UID, a doctor per licence (or account),
/// a demo hospital per code.
enum StableIDs {
    private static let userNamespace = UUID(uuidString: "3d7e7c2a-5b7f-4c36-9a35-0c1f6f0e5a11")!
    private static let hospitalNamespace = UUID(uuidString: "8a1c2f64-1f0e-4b9e-b2a4-6f3e9d2c7b42")!
    private static let patientNamespace = UUID(uuidString: "5f0b6c1e-2a47-4d8e-8c3b-91d7a4e2f650")!
    private static let doctorNamespace = UUID(uuidString: "c4e81a97-7d3b-4f2a-a6e5-2b9f0d8c1e73")!
    private static let wearableNamespace = UUID(uuidString: "6b2d9e15-83c4-4a0f-b7e1-4d5a6c8f2e90")!
    private static let pairingNamespace = UUID(uuidString: "9e4f1a2b-6c3d-4e8f-a1b2-c3d4e5f60718")!

    static func user(email: EmailAddress) -> User.ID {
        User.ID(RowIDs.nameBased(namespace: userNamespace, name: email.value))
    }

    static func demoHospital(code: HospitalCode) -> Hospital.ID {
        Hospital.ID(RowIDs.nameBased(namespace: hospitalNamespace, name: code.value))
    }

    static func patient(aadharUID: String) -> Patient.ID {
        Patient.ID(RowIDs.nameBased(namespace: patientNamespace, name: aadharUID))
    }

    /// A doctor with a licence is one row per licence; without one, one row per account.
    static func doctor(license: MedicalLicense?, user: User.ID) -> Doctor.ID {
        Doctor.ID(RowIDs.nameBased(namespace: doctorNamespace, name: license.map { "license:\($0.value)" } ?? "user:\(user)"))
    }

    /// One row per patient and device id: registering the same watch twice is one device.
    static func wearableDevice(patient: Patient.ID, externalID: String) -> WearableDevice.ID {
        WearableDevice.ID(RowIDs.nameBased(namespace: wearableNamespace, name: "\(patient)|\(externalID)"))
    }

    /// One pairing per patient and iPhone: pairing the same phone again renews it.
    static func devicePairing(patient: Patient.ID, iosDeviceID: String) -> DevicePairing.ID {
        DevicePairing.ID(RowIDs.nameBased(namespace: pairingNamespace, name: "\(patient)|\(iosDeviceID)"))
    }
}
