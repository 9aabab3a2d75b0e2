import Foundation

/// A link between the patient's iPhone (where Apple Health lives) and their CloudCare app on
/// another phone, made by scanning a QR code: one per patient and iOS device, so pairing the same
/// iPhone again renews the link rather than adding a second. Unpairing deactivates it.
public struct DevicePairing: Sendable, Equatable {
    public typealias ID = Identifier<DevicePairing>

    public let id: ID
    public let patientID: Patient.ID
    public let iosUserID: String
    public let iosDeviceID: String
    public let androidUserID: String
    public let deviceName: String
    public let deviceType: String
    public let pairedAt: Date
    public let isActive: Bool

    public init(
        id: ID, patientID: Patient.ID, iosUserID: String, iosDeviceID: String, androidUserID: String, deviceName: String, deviceType: String,
        pairedAt: Date, isActive: Bool
    ) {
        self.id = id
        self.patientID = patientID
        self.iosUserID = iosUserID
        self.iosDeviceID = iosDeviceID
        self.androidUserID = androidUserID
        self.deviceName = deviceName
        self.deviceType = deviceType
        self.pairedAt = pairedAt
        self.isActive = isActive
    }
}

/// A pairing request (`POST /wearables/devices/pair`), validated. The QR code's data is a
/// one-time secret: only its SHA-256 is kept.
public struct PairingRequest: Sendable {
    public let iosUserID: String
    public let iosDeviceID: String
    public let androidUserID: String
    public let deviceName: String
    public let deviceType: String
    public let pairingCode: String

    public init(iosUserID: String?, iosDeviceID: String?, androidUserID: String?, deviceName: String?, deviceType: String?, pairingCode: String?) throws(DomainError) {
        var check = Validator()
        self.iosUserID = check.text("ios_user_id", iosUserID, maxLength: 100)
        self.iosDeviceID = check.text("ios_device_id", iosDeviceID, maxLength: 200)
        self.androidUserID = check.text("android_user_id", androidUserID, maxLength: 100)
        self.deviceName = check.text("device_name", deviceName, maxLength: 100)
        self.deviceType = check.text("device_type", deviceType, maxLength: 50)
        self.pairingCode = check.text("pairing_code", pairingCode, maxLength: 2000)
        try check.check()
    }
}
