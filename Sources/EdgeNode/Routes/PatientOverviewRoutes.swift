import Domain
import Foundation
import Hummingbird
import Replication

/// `GET /patients/{id}/complete`: everything a doctor's app shows after scanning the patient's QR
/// code, in one call — profile, current admissions, devices, a summary of the records and the
/// latest vital signs. The patient, or a doctor under consent or break-glass; audited.
struct PatientOverviewRoutes {
    /// How many of the newest documents the summary lists.
    static let latestRecords = 5

    let patients: PatientRepository
    let records: MedicalRecordRepository
    let admissions: AdmissionRepository
    let devices: WearableDeviceRepository
    let metrics: HealthMetricRepository
    let access: PatientDataAccess
    let audit: AuditTrail
    let clock: any PhysicalClock

    func register(on api: RouteRegistrar) {
        api.add(.get, "patients/{patient_id}/complete", "Patients",
                "Profile, current admissions, devices, records summary and latest vitals (the patient; a doctor under consent or break-glass)",
                access: .roles([.patient, .doctor]), documented: { $0.success = (200, APISchemas.named("PatientOverview")) }, use: overview)
    }

    @Sendable func overview(_ request: Request, context: EdgeRequestContext) async throws -> PatientOverviewPayload {
        let principal = try context.requirePrincipal()
        let patient = try await access.readable(try PatientRoutes.patientID(context), by: principal)
        try await audit.record(.init(principal, .read, "patient_overview", id: patient.id.description, patient: patient.id, clientAddress: context.remoteAddress))
        let documents = try await records.records(of: patient.id)
        let totals = try await metrics.totals(of: patient.id)
        return PatientOverviewPayload(
            profile: try await PatientProfilePayload(patient, from: patients, today: CalendarDate(clock.now())),
            currentAdmissions: try await admissions.admissions(patient: patient.id, limit: 20).filter { $0.status == .admitted }
                .map { AdmissionPayload($0, patient: patient) },
            devices: try await devices.devices(of: patient.id).map(WearableDevicePayload.init),
            records: .init(
                total: documents.count,
                byType: MedicalRecord.RecordType.allCases.compactMap { type in
                    let count = documents.filter { $0.recordType == type }.count
                    return count > 0 ? .init(recordType: type.rawValue, count: count) : nil
                },
                latest: documents.prefix(Self.latestRecords).map(MedicalRecordPayload.init)
            ),
            latestVitals: totals.filter(\.type.isVitalSign).map(VitalSignPayload.init),
            deviceInfo: .init(totals)
        )
    }
}

struct PatientOverviewPayload: ResponseEncodable {
    struct RecordsSummary: Encodable {
        struct TypeCount: Encodable {
            let recordType: String
            let count: Int
        }

        let total: Int
        let byType: [TypeCount]
        let latest: [MedicalRecordPayload]
    }

    let profile: PatientProfilePayload
    let currentAdmissions: [AdmissionPayload]
    let devices: [WearableDevicePayload]
    let records: RecordsSummary
    let latestVitals: [VitalSignPayload]
    let deviceInfo: DeviceInfoPayload
}

/// The latest sample of one vital sign.
struct VitalSignPayload: Encodable {
    let metricType: String
    let value: Double
    let unit: String
    let measuredAt: String

    init(_ total: HealthMetricRepository.SeriesTotal) {
        metricType = total.type.rawValue
        value = total.latestValue
        unit = total.type.unit
        measuredAt = Timestamps.api(Date(timeIntervalSince1970: Double(total.latestEnd) / 1000))
    }
}

/// `device_info` of the contract: the newest sample's time (`last_sync`) and how many samples the
/// patient has.
struct DeviceInfoPayload: Encodable {
    let lastSync: String?
    let totalMetrics: Int

    init(_ totals: [HealthMetricRepository.SeriesTotal]) {
        lastSync = totals.map(\.latestEnd).max().map { Timestamps.api(Date(timeIntervalSince1970: Double($0) / 1000)) }
        totalMetrics = totals.reduce(0) { $0 + $1.count }
    }
}
