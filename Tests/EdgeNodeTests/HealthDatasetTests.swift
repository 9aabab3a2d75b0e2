import Domain
import Foundation
import HummingbirdTesting
import NIOCore
import Testing
@testable import EdgeNode

/// The generated dataset drives the wearable tests: a month of a patient's watch and phone data,
/// imported as the iOS app sends it, and every read checked against figures computed straight
/// from the generated samples.
@Suite struct HealthDatasetTests {
    static let firstDay: Int64 = InstantText.milliseconds("2025-10-20T00:00:00Z")!
    static let now = Date(timeIntervalSince1970: Double(firstDay + 30 * MetricCalendar.day + 10 * MetricCalendar.hour) / 1000)

    static func dataset(_ patient: Patient.ID, seed: UInt64 = 20261124) -> HealthDataset {
        HealthDataset(patient: patient, start: firstDay, days: 30, samplesPerDay: 1000, seed: seed)
    }

    @Test func theDatasetIsSeededAndOfTheContractsSize() {
        let patient = Patient.ID(UUID())
        let samples = Self.dataset(patient).all
        #expect(samples == Self.dataset(patient).all, "the same seed gives the same samples")
        #expect(samples != Self.dataset(patient, seed: 7).all)
        #expect((27_000...33_000).contains(samples.count), "a month of watch data, like the contract's 30,186: \(samples.count)")
        #expect(Set(samples.map(\.type)).isSuperset(of: [.heartRate, .steps, .distance, .calories, .sleepInBed, .sleepCore, .sleepDeep, .sleepREM, .bloodOxygen]))
    }

    @Test func aMonthImportedAsTheIPhoneSendsItReadsBackAsGenerated() async throws {
        try await TestNode.withNode(demo: true, role: .hub, clock: ManualClock(Self.now), configure: { $0.timeZone = TimeZone(identifier: "UTC")! }) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let patient = try #require(Patient.ID(cast.patient.id))
            let samples = Self.dataset(patient).all
            let body = AppleHealthExportJSON.render(samples, deviceID: "iphone-15")
            let imported = try await client.execute(
                uri: "/api/v1/wearables/import/apple-health", method: .post,
                headers: [.authorization: "Bearer \(cast.patient.token)", .contentType: "application/json"], body: ByteBuffer(bytes: body)
            )
            let report = try object(imported)
            #expect(report["accepted"] as? Int == samples.count && report["rejected"] as? Int == 0 && report["duplicates"] as? Int == 0, "\(report)")
            let again = try object(try await client.execute(
                uri: "/api/v1/wearables/import/apple-health", method: .post,
                headers: [.authorization: "Bearer \(cast.patient.token)", .contentType: "application/json"], body: ByteBuffer(bytes: body)
            ))
            #expect(again["accepted"] as? Int == 0 && again["duplicates"] as? Int == samples.count, "re-importing changes nothing")

            // Expected figures, straight from the samples (UTC days).
            func day(_ instant: Int64) -> String { String(InstantText.string(instant).prefix(10)) }
            var steps: [String: Double] = [:], heart: [String: [Double]] = [:]
            for sample in samples {
                if sample.type == .steps { steps[day(sample.start), default: 0] += sample.value }
                if sample.type == .heartRate { heart[day(sample.start), default: []].append(sample.value) }
            }
            let base = "/api/v1/wearables/metrics", query = "patient_id=\(cast.patient.id)&days=30"
            let body30 = try object(try await client.get("\(base)/comprehensive?\(query)", token: cast.doctor.token))
            let series = try #require(body30["time_series"] as? [String: Any])
            let daily = Dictionary(uniqueKeysWithValues: (series["steps"] as? [[String: Any]] ?? []).map { ($0["date"] as? String ?? "", $0["total"] as? Double ?? -1) })
            let expectedSteps = steps.filter { $0.key >= day(Self.firstDay + MetricCalendar.day) }
            #expect(daily == expectedSteps.mapValues { ($0 * 100).rounded() / 100 }, "daily steps equal the samples' sums")
            let trends = try object(try await client.get("\(base)/heart-rate-trends?\(query)", token: cast.patient.token))["data"] as? [[String: Any]] ?? []
            for point in trends {
                let values = try #require(heart[point["date"] as? String ?? ""])
                #expect(point["min_bpm"] as? Double == values.min() && point["max_bpm"] as? Double == values.max())
                #expect(point["bpm"] as? Double == ((values.reduce(0, +) / Double(values.count)) * 10).rounded() / 10)
            }
            #expect(trends.count == 29, "the 30 days up to today hold 29 generated days")
            let info = body30["device_info"] as? [String: Any]
            #expect(info?["total_metrics"] as? Int == samples.count)

            // Each night's sleep: the asleep stages' union (the watch's), inside 18:00–18:00.
            let sleep = try object(try await client.get("\(base)/sleep-trends?\(query)", token: cast.patient.token))["data"] as? [[String: Any]] ?? []
            #expect(sleep.count >= 29)
            for night in sleep {
                let date = try #require(CalendarDate(night["date"] as? String ?? ""))
                let midnight = Int64(InstantText.daysFromCivil(year: date.year, month: date.month, day: date.day)) * MetricCalendar.day
                let window = TimeSpan(start: midnight - 6 * MetricCalendar.hour, end: midnight + 18 * MetricCalendar.hour)
                let asleep = samples.filter(\.type.isAsleep).map { TimeSpan(start: $0.start, end: $0.end) }.sorted { $0.start < $1.start }
                var merged: [TimeSpan] = []
                for span in asleep {
                    if let last = merged.last, last.meets(span) { merged[merged.count - 1] = TimeSpan(start: last.start, end: max(last.end, span.end)) } else { merged.append(span) }
                }
                #expect(night["time_asleep"] as? Double == (Double(window.covered(by: merged)) / 36_000).rounded() / 100, "\(night)")
            }
        }
    }

    /// The dataset written as the Health app's own export.xml, with records of a type the node
    /// does not keep among them.
    static func exportXML(_ samples: [HealthSample]) -> [UInt8] {
        Array((AppleHealthExportXML.header + AppleHealthExportXML.records(samples) + AppleHealthExportXML.footer).utf8)
    }

    @Test func theHealthAppsOwnExportImportsAsXMLOrZipAndABrokenFileKeepsWhatCameBefore() async throws {
        try await TestNode.withNode(demo: true, role: .hub, clock: ManualClock(Self.now), configure: { $0.timeZone = TimeZone(identifier: "UTC")! }) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let patient = try #require(Patient.ID(cast.patient.id))
            let samples = Array(HealthDataset(patient: patient, start: Self.firstDay, days: 12, samplesPerDay: 1000, seed: 3).all)
            let xml = Self.exportXML(samples)
            let unkept = (samples.count + 999) / 1000
            func upload(_ body: [UInt8], for patient: (token: String, id: String), as caller: (token: String, id: String)? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/wearables/import/apple-health/export?patient_id=\(patient.id)", method: .post,
                    headers: [.authorization: "Bearer \((caller ?? patient).token)", .contentType: "application/xml"], body: ByteBuffer(bytes: body)
                )
            }
            let report = try object(try await upload(xml, for: cast.patient))
            #expect(report["received"] as? Int == samples.count + unkept && report["accepted"] as? Int == samples.count, "\(report)")
            #expect(report["rejected"] as? Int == unkept && report["duplicates"] as? Int == 0)
            #expect((report["unknown_types"] as? [[String: Any]])?.first?["type"] as? String == "HKQuantityTypeIdentifierDietaryWater")

            // The same export zipped as the iPhone zips it: nothing new.
            var zip = ZipArchive()
            zip.add("apple_health_export/export_cda.xml", Array("<ClinicalDocument/>".utf8), .deflatedWithDescriptor)
            zip.add("apple_health_export/export.xml", xml, .deflatedWithDescriptor)
            let again = try object(try await upload(zip.archive, for: cast.patient))
            #expect(again["accepted"] as? Int == 0 && again["duplicates"] as? Int == samples.count)

            // The samples read back as the JSON import of the same samples does.
            let viaJSON = try await client.execute(
                uri: "/api/v1/wearables/import/apple-health", method: .post,
                headers: [.authorization: "Bearer \(cast.otherPatient.token)", .contentType: "application/json"],
                body: ByteBuffer(bytes: AppleHealthExportJSON.render(samples, deviceID: "iphone-15"))
            )
            #expect(try object(viaJSON)["accepted"] as? Int == samples.count)
            func comprehensive(_ account: (token: String, id: String)) async throws -> NSDictionary {
                let body = try object(try await client.get("/api/v1/wearables/metrics/comprehensive?patient_id=\(account.id)&days=14", token: account.token))
                return body.filter { $0.key != "patient_id" } as NSDictionary
            }
            #expect(try await comprehensive(cast.patient) == comprehensive(cast.otherPatient))

            // Only the patient, for their own record; what is not an export is a 422 that writes nothing.
            try expectError(try await upload(xml, for: cast.patient, as: cast.doctor), .forbidden, code: "forbidden")
            try expectError(try await upload(xml, for: cast.otherPatient, as: cast.patient), .forbidden, code: "forbidden")
            try expectError(try await upload(Array(#"{"metrics":[]}"#.utf8), for: cast.patient), .unprocessableContent, code: "validation_error")
            try expectError(try await upload(Array("PK\u{3}\u{4}garbage".utf8), for: cast.patient), .unprocessableContent, code: "validation_error")

            // A file that breaks off keeps the transactions stored before the break; the whole file then adds the rest.
            let signedUp = try await client.signUp("/api/v1/auth/signup/patient", TestAccounts.patient(90))
            let newcomer = (token: try #require(signedUp["access_token"] as? String),
                            id: try #require((signedUp["user"] as? [String: Any])?["patient_id"] as? String))
            let cut = try await upload(Array(xml.prefix(xml.count * 9 / 10)), for: newcomer)
            try expectError(cut, .unprocessableContent, code: "validation_error")
            let detail = try object(cut)["detail"] as? String ?? ""
            let kept = try #require(detail.firstMatch(of: /\((\d+) new\)/).flatMap { Int($0.1) }, "\(detail)")
            #expect(detail.contains("cut short") && kept >= AppleHealthFileImport.samplesPerTransaction * 9 / 10, "\(detail)")
            let rest = try object(try await upload(xml, for: newcomer))
            #expect(rest["accepted"] as? Int == samples.count - kept && rest["duplicates"] as? Int == kept)
        }
    }
}
