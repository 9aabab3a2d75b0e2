import Foundation

/// A wearable a patient registered (`POST /wearables/devices`): one row per patient and external
/// device id, so registering the same watch again updates it rather than adding a second.
public struct WearableDevice: Sendable, Equatable {
    public typealias ID = Identifier<WearableDevice>

    public let id: ID
    public let patientID: Patient.ID
    /// The device's own id as its app reports it (the `device_id` samples carry).
    public let externalID: String
    public let name: String
    /// `apple_watch`, `fitbit`, `iphone`, … as the client names it.
    public let type: String
    public let registeredAt: Date

    public init(id: ID, patientID: Patient.ID, externalID: String, name: String, type: String, registeredAt: Date) {
        self.id = id
        self.patientID = patientID
        self.externalID = externalID
        self.name = name
        self.type = type
        self.registeredAt = registeredAt
    }
}

/// A device registration, validated.
public struct DeviceRegistration: Sendable {
    public let patientID: Patient.ID
    public let externalID: String
    public let name: String
    public let type: String

    public init(patientID: String?, name: String?, type: String?, deviceID: String?) throws(DomainError) {
        var check = Validator()
        let patient = check.identifier("patient_id", patientID, of: Patient.self)
        self.name = check.text("name", name, maxLength: 100)
        self.type = check.text("type", type, maxLength: 50)
        externalID = check.text("device_id", deviceID, maxLength: SourceDevice.maximumLength)
        try check.check()
        self.patientID = patient!
    }
}
