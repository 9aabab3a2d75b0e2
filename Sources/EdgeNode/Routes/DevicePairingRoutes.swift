import Domain
import Foundation
import Hummingbird
import Replication

/// `/wearables/devices/pair`, `/paired`, `/unpair/{pairing_id}`: the patient links the iPhone
/// whose Apple Health data they share (scanning its QR code in the CloudCare app), lists and ends
/// such links. Doctors under consent see them; nobody else learns a pairing exists.
struct DevicePairingRoutes {
    let pairings: DevicePairingRepository
    let access: PatientDataAccess

    func register(on api: RouteRegistrar) {
        let tag = "Wearables"
        let pairing = APISchemas.named("DevicePairing")
        api.add(.post, "wearables/devices/pair", tag, "Pair the caller's iPhone from its QR code (the patient)", access: .roles([.patient]), documented: {
            $0.body = .object([
                ("ios_user_id", .string), ("ios_device_id", .string), ("android_user_id", .string), ("device_name", .string),
                ("device_type", .string), ("pairing_code", .string),
            ], required: ["ios_user_id", "ios_device_id", "android_user_id", "device_name", "device_type", "pairing_code"])
            $0.success = (201, pairing)
        }, use: pair)
        api.add(.get, "wearables/devices/paired", tag, "A patient's active pairings (the patient; a doctor under consent)",
                access: .roles([.patient, .doctor]), documented: {
            $0.query = [WearableRoutes.patientQuery]
            $0.success = (200, .array(pairing))
        }, use: list)
        api.add(.delete, "wearables/devices/unpair/{pairing_id}", tag, "End a pairing (the patient; anyone else: 404)", access: .roles([.patient]), documented: {
            $0.success = (204, nil)
        }, use: unpair)
    }

    @Sendable func pair(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<DevicePairingPayload> {
        let principal = try context.requirePrincipal()
        guard let own = principal.patientID else { throw APIError.forbidden("Only a patient pairs their own devices") }
        var request = request
        let form = try await request.decodeJSON(as: PairingForm.self, context: context)
        let pairingRequest = try PairingRequest(
            iosUserID: form.iosUserId, iosDeviceID: form.iosDeviceId, androidUserID: form.androidUserId, deviceName: form.deviceName,
            deviceType: form.deviceType, pairingCode: form.pairingCode
        )
        let patient = try await access.modifiable(own, by: principal)
        let pairing = try await pairings.pair(pairingRequest, patient: patient.id, principal: principal, clientAddress: context.remoteAddress)
        return EditedResponse(status: .created, response: DevicePairingPayload(pairing))
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> [DevicePairingPayload] {
        let principal = try context.requirePrincipal()
        let patient = try await access.readable(try WearableRoutes.patientID(request), by: principal)
        return try await pairings.pairings(of: patient.id).map(DevicePairingPayload.init)
    }

    @Sendable func unpair(_ request: Request, context: EdgeRequestContext) async throws -> HTTPResponse.Status {
        let principal = try context.requirePrincipal()
        let id = try context.pathID("pairing_id", of: DevicePairing.self, name: "pairing")
        guard let pairing = try await pairings.pairing(id: id), pairing.isActive, pairing.patientID == principal.patientID else {
            throw APIError.notFound("No such pairing")
        }
        try await pairings.unpair(pairing, principal: principal, clientAddress: context.remoteAddress)
        return .noContent
    }
}

struct PairingForm: Decodable {
    var iosUserId: String?
    var iosDeviceId: String?
    var androidUserId: String?
    var deviceName: String?
    var deviceType: String?
    var pairingCode: String?
}

struct DevicePairingPayload: ResponseEncodable {
    let pairingId: String
    let patientId: String
    let iosUserId: String
    let iosDeviceId: String
    let androidUserId: String
    let deviceName: String
    let deviceType: String
    let pairedAt: String
    let isActive: Bool

    init(_ pairing: DevicePairing) {
        pairingId = pairing.id.description
        patientId = pairing.patientID.description
        iosUserId = pairing.iosUserID
        iosDeviceId = pairing.iosDeviceID
        androidUserId = pairing.androidUserID
        deviceName = pairing.deviceName
        deviceType = pairing.deviceType
        pairedAt = Timestamps.api(pairing.pairedAt)
        isActive = pairing.isActive
    }
}
