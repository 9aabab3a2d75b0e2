import Domain
import Foundation
import Hummingbird
import Replication

/// `/wearables`: ingest of health samples (the contract's `sync`, the iOS app's Apple Health
/// exports) and the patient's registered devices. Samples are validated one by one: a bad one is
/// rejected with its reason and the rest stored; the same sample again is a duplicate, not a
/// second fact.
struct WearableRoutes {
    /// The largest ingest body accepted (a day of a watch's samples is a few MB).
    static let maximumBodyBytes = 64 << 20

    let metrics: HealthMetricRepository
    let devices: WearableDeviceRepository
    let access: PatientDataAccess
    let clock: any PhysicalClock

    func register(on api: RouteRegistrar) {
        let tag = "Wearables"
        let report = APISchemas.named("IngestReport")
        let ingestErrors = [(413, "The body is over 64 MiB")]
        api.add(.post, "wearables/sync", tag, "Store a patient's samples (the patient)", access: .roles([.patient]), documented: {
            $0.body = .object([
                ("patient_id", .formatted("uuid")), ("device_id", .string),
                ("metrics", .array(.object([("metric_type", .string), ("value", .number), ("unit", .string), ("timestamp", .formatted("date-time")),
                                            ("end_timestamp", .formatted("date-time")), ("source", .string)], required: ["metric_type", "timestamp"]))),
            ], required: ["patient_id", "metrics"])
            $0.success = (200, report)
            $0.errors = ingestErrors
        }, use: sync)
        let export = JSONSchema.object([
            ("deviceId", .string), ("userId", .string), ("exportTimestamp", .formatted("date-time")),
            ("metrics", .array(.object([
                ("type", .string), ("value", .any), ("unit", .string), ("startDate", .formatted("date-time")), ("endDate", .formatted("date-time")),
                ("sourceApp", .string), ("metadata", .object([("device", .string)])),
            ], required: ["type", "startDate"]))),
        ], required: ["metrics"])
        api.add(.post, "wearables/import/apple-health", tag, "Import an Apple Health export from the iOS app, for the caller's own record (the patient)",
                access: .roles([.patient]), documented: {
            $0.body = export
            $0.success = (200, report)
            $0.errors = ingestErrors
        }, use: importExport)
        api.add(.post, "wearables/import/apple-health/batch", tag, "Import several Apple Health exports at once (the patient)",
                access: .roles([.patient]), documented: {
            $0.body = .array(export)
            $0.success = (200, report)
            $0.errors = ingestErrors
        }, use: importExports)
        api.add(.post, "wearables/import/apple-health/export", tag,
                "Import the Health app's own export: export.zip, or the export.xml inside it, as the raw request body, streamed, of any size (the patient)",
                access: .roles([.patient]), documented: {
            $0.query = [Self.patientQuery]
            $0.success = (200, report)
            $0.errors = [(422, "Not an Apple Health export, or cut short (the records before the fault are kept, and counted in the detail)")]
        }, use: importFile)
        let device = APISchemas.named("WearableDevice")
        api.add(.get, "wearables/devices", tag, "A patient's registered devices (the patient; a doctor under consent)",
                access: .roles([.patient, .doctor]), documented: {
            $0.query = [Self.patientQuery]
            $0.success = (200, .array(device))
        }, use: listDevices)
        api.add(.post, "wearables/devices", tag, "Register a device, or rename the one with this device_id (the patient)",
                access: .roles([.patient]), documented: {
            $0.body = .object([("patient_id", .formatted("uuid")), ("name", .string), ("type", .string), ("device_id", .string)],
                              required: ["patient_id", "name", "type", "device_id"])
            $0.success = (201, device)
        }, use: registerDevice)
    }

    static let patientQuery = Endpoint.Query(name: "patient_id", description: "The patient", schema: .formatted("uuid"), required: true)

    @Sendable func sync(_ request: Request, context: EdgeRequestContext) async throws -> IngestReport {
        let principal = try context.requirePrincipal()
        var request = request
        let form = try await request.decodeJSON(as: SyncForm.self, context: context, limit: Self.maximumBodyBytes)
        var check = Validator()
        let patientID = check.identifier("patient_id", form.patientId, of: Patient.self)
        try check.check()
        let patient = try await access.modifiable(patientID!, by: principal)
        var batch = SampleBatch()
        let now = clock.nowMilliseconds()
        for sample in form.metrics {
            batch.add(sample.incoming, patient: patient.id, device: form.deviceId, now: Int64(now))
        }
        return try await store(batch, of: patient, principal: principal, context: context)
    }

    @Sendable func importExport(_ request: Request, context: EdgeRequestContext) async throws -> IngestReport {
        try await importing(try await Self.exports(of: request, list: false, context: context), context: context)
    }

    @Sendable func importExports(_ request: Request, context: EdgeRequestContext) async throws -> IngestReport {
        try await importing(try await Self.exports(of: request, list: true, context: context), context: context)
    }

    @Sendable func importFile(_ request: Request, context: EdgeRequestContext) async throws -> IngestReport {
        let principal = try context.requirePrincipal()
        let patient = try await access.modifiable(try Self.patientID(request), by: principal)
        let file = AppleHealthFileImport(
            metrics: metrics, patient: patient.id, principal: principal, now: Int64(clock.nowMilliseconds()), clientAddress: context.remoteAddress
        )
        return try await file.run(request.body)
    }

    /// The body's exports, read by the fast parser; a body it gives up on is decoded by
    /// `JSONDecoder`, which accepts it the same way or explains what is wrong (400/422).
    private static func exports(of request: Request, list: Bool, context: EdgeRequestContext) async throws -> [AppleHealthExportParser.Export] {
        var request = request
        let body = try await request.collectBody(upTo: maximumBodyBytes)
        if let exports = AppleHealthExportParser.parse(body, list: list) { return exports }
        let decoded = list
            ? try await request.decodeJSON(as: [AppleHealthExport].self, context: context, limit: maximumBodyBytes)
            : [try await request.decodeJSON(as: AppleHealthExport.self, context: context, limit: maximumBodyBytes)]
        return decoded.map { AppleHealthExportParser.Export(deviceID: $0.deviceId, samples: $0.metrics.map(\.incoming)) }
    }

    /// Exports land in the caller's own record (the iOS app's `userId` is its own id, not ours).
    private func importing(_ exports: [AppleHealthExportParser.Export], context: EdgeRequestContext) async throws -> IngestReport {
        let principal = try context.requirePrincipal()
        guard let own = principal.patientID else { throw APIError.forbidden("Only a patient imports their own health data") }
        let patient = try await access.modifiable(own, by: principal)
        var batch = SampleBatch()
        let now = Int64(clock.nowMilliseconds())
        for export in exports {
            for sample in export.samples { batch.add(sample, patient: patient.id, device: export.deviceID, now: now) }
        }
        return try await store(batch, of: patient, principal: principal, context: context)
    }

    private func store(_ batch: SampleBatch, of patient: Patient, principal: Principal, context: EdgeRequestContext) async throws -> IngestReport {
        let added = try await metrics.ingest(batch.samples, of: patient.id, principal: principal, clientAddress: context.remoteAddress)
        var tally = IngestTally()
        tally.add(batch, accepted: added)
        return tally.report(patient: patient.id)
    }

    @Sendable func listDevices(_ request: Request, context: EdgeRequestContext) async throws -> [WearableDevicePayload] {
        let principal = try context.requirePrincipal()
        let patient = try await access.readable(try Self.patientID(request), by: principal)
        return try await devices.devices(of: patient.id).map(WearableDevicePayload.init)
    }

    @Sendable func registerDevice(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<WearableDevicePayload> {
        let principal = try context.requirePrincipal()
        var request = request
        let form = try await request.decodeJSON(as: DeviceForm.self, context: context)
        let registration = try DeviceRegistration(patientID: form.patientId, name: form.name, type: form.type, deviceID: form.deviceId)
        _ = try await access.modifiable(registration.patientID, by: principal)
        let device = try await devices.register(registration, principal: principal, clientAddress: context.remoteAddress)
        return EditedResponse(status: .created, response: WearableDevicePayload(device))
    }

    /// The required `patient_id` query parameter.
    static func patientID(_ request: Request) throws -> Patient.ID {
        var check = Validator()
        let id = check.identifier("patient_id", request.uri.queryParameters.get("patient_id"), of: Patient.self)
        try check.check()
        return id!
    }
}

struct WearableDevicePayload: ResponseEncodable {
    let id: String
    let patientId: String
    let deviceId: String
    let name: String
    let type: String
    let registeredAt: String

    init(_ device: WearableDevice) {
        id = device.id.description
        patientId = device.patientID.description
        deviceId = device.externalID
        name = device.name
        type = device.type
        registeredAt = Timestamps.api(device.registeredAt)
    }
}

struct DeviceForm: Decodable {
    var patientId: String?
    var name: String?
    var type: String?
    var deviceId: String?
}
