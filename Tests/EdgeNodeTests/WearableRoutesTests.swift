import Foundation
import HummingbirdTesting
import Testing
@testable import EdgeNode

@Suite struct WearableRoutesTests {
    static let watch = "<<HKDevice: 0x283ad4a00>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1>"

    /// An iOS export with HealthKit identifiers, a sleep category and a type the node does not store.
    static func export(device: String = "iphone-15", heartRate: Double = 79) -> [String: Any] {
        [
            "deviceId": device, "userId": "ios-user-1", "exportTimestamp": "2025-11-13T06:49:53Z",
            "metrics": [
                ["type": "HKQuantityTypeIdentifierHeartRate", "value": heartRate, "unit": "count/min", "startDate": "2025-11-12T06:52:56Z",
                 "endDate": "2025-11-12T06:52:56Z", "sourceApp": "com.apple.health", "metadata": ["device": watch]],
                ["type": "HKQuantityTypeIdentifierStepCount", "value": 420, "unit": "count", "startDate": "2025-11-12T07:00:00Z",
                 "endDate": "2025-11-12T07:10:00Z", "sourceApp": "com.apple.health"],
                ["type": "HKCategoryTypeIdentifierSleepAnalysis", "value": "HKCategoryValueSleepAnalysisAsleepCore", "startDate": "2025-11-12T01:00:00Z",
                 "endDate": "2025-11-12T02:30:00Z", "sourceApp": "com.apple.health", "metadata": ["device": watch]],
                ["type": "HKQuantityTypeIdentifierDietaryCaffeine", "value": 95, "unit": "mg", "startDate": "2025-11-12T08:00:00Z"],
            ] as [Any],
        ]
    }

    @Test func theContractsSyncStoresGoodSamplesRejectsBadOnesAndDeduplicates() async throws {
        try await TestNode.withNode(demo: true, role: .hub) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let body: [String: Any] = [
                "patient_id": cast.patient.id, "device_id": "watch-1",
                "metrics": [
                    ["metric_type": "heart_rate", "value": 72.5, "unit": "bpm", "timestamp": "2025-11-19T10:30:00Z"],
                    ["metric_type": "steps", "value": 120, "unit": "count", "timestamp": "2025-11-19T10:30:00Z"],
                    ["metric_type": "heart_rate", "value": 900, "unit": "bpm", "timestamp": "2025-11-19T10:31:00Z"],
                    5,
                    ["metric_type": "heart_rate", "value": "fast", "timestamp": "2025-11-19T10:32:00Z"],
                ] as [Any],
            ]
            let first = try object(try await client.post("/api/v1/wearables/sync", body, token: cast.patient.token))
            #expect(first["received"] as? Int == 5 && first["accepted"] as? Int == 2 && first["duplicates"] as? Int == 0 && first["rejected"] as? Int == 3)
            let rejections = first["rejections"] as? [[String: Any]] ?? []
            #expect(rejections.map { $0["index"] as? Int } == [2, 3, 4])
            #expect(rejections.first?["reason"] as? String == "heart_rate value out of range")

            let again = try object(try await client.post("/api/v1/wearables/sync", body, token: cast.patient.token))
            #expect(again["accepted"] as? Int == 0 && again["duplicates"] as? Int == 2, "the same samples again are known facts")

            // Only the patient, for their own record; a malformed body is a 4xx and stores nothing.
            try expectError(try await client.post("/api/v1/wearables/sync", body, token: cast.doctor.token), .forbidden, code: "forbidden")
            var other = body
            other["patient_id"] = cast.otherPatient.id
            try expectError(try await client.post("/api/v1/wearables/sync", other, token: cast.patient.token), .forbidden, code: "forbidden")
            try expectError(try await client.post("/api/v1/wearables/sync", ["patient_id": cast.patient.id, "metrics": 5], token: cast.patient.token),
                            .unprocessableContent, code: "validation_error")
            let overview = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/complete", token: cast.patient.token))
            #expect((overview["device_info"] as? [String: Any])?["total_metrics"] as? Int == 2)
        }
    }

    @Test func appleHealthExportsImportUnderEverySpellingAndReportUnknownTypes() async throws {
        try await TestNode.withNode(demo: true, role: .hub) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let report = try object(try await client.post("/api/v1/wearables/import/apple-health", Self.export(), token: cast.patient.token))
            #expect(report["patient_id"] as? String == cast.patient.id)
            #expect(report["received"] as? Int == 4 && report["accepted"] as? Int == 3 && report["rejected"] as? Int == 1)
            let unknown = report["unknown_types"] as? [[String: Any]] ?? []
            #expect(unknown.count == 1 && unknown.first?["type"] as? String == "HKQuantityTypeIdentifierDietaryCaffeine" && unknown.first?["count"] as? Int == 1)

            // The same export in a batch, with a second one spelled as iOS display and camelCase names.
            let spelled: [String: Any] = ["deviceId": "iphone-15", "metrics": [
                ["type": "Heart Rate", "value": 66, "unit": "count/min", "startDate": "2025-11-12T09:00:00Z"],
                ["type": "stepCount", "value": 15, "startDate": "2025-11-12T09:00:00Z"],
                ["type": "Blood Oxygen", "value": 0.97, "unit": "%", "startDate": "2025-11-12T09:00:00Z"],
            ] as [Any]]
            let batch = try object(try await client.post("/api/v1/wearables/import/apple-health/batch", [Self.export(), spelled], token: cast.patient.token))
            #expect(batch["received"] as? Int == 7 && batch["accepted"] as? Int == 3 && batch["duplicates"] as? Int == 3 && batch["rejected"] as? Int == 1)
            try expectError(try await client.post("/api/v1/wearables/import/apple-health", Self.export(), token: cast.doctor.token), .forbidden, code: "forbidden")
            let malformed = try await client.execute(uri: "/api/v1/wearables/import/apple-health/batch", method: .post,
                                                     headers: [.authorization: "Bearer \(cast.patient.token)", .contentType: "application/json"], body: json(["x": 1]))
            #expect(malformed.status == .unprocessableContent || malformed.status == .badRequest)
        }
    }

    @Test func devicesRegisterOncePerDeviceIdAndTheCompleteViewShowsThePatientWhole() async throws {
        try await TestNode.withNode(demo: true, role: .hub) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let device: [String: Any] = ["patient_id": cast.patient.id, "name": "Apple Watch", "type": "apple_watch", "device_id": "watch-1"]
            let created = try await client.post("/api/v1/wearables/devices", device, token: cast.patient.token)
            #expect(created.status == .created)
            let renamed = try object(try await client.post("/api/v1/wearables/devices", device.merging(["name": "Ward watch"]) { $1 }, token: cast.patient.token))
            #expect(renamed["id"] as? String == (try object(created))["id"] as? String && renamed["name"] as? String == "Ward watch")
            let listed = try array(try await client.get("/api/v1/wearables/devices?patient_id=\(cast.patient.id)", token: cast.doctor.token))
            #expect(listed.map { $0["name"] as? String } == ["Ward watch"])
            try expectError(try await client.get("/api/v1/wearables/devices?patient_id=\(cast.patient.id)", token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.get("/api/v1/wearables/devices", token: cast.patient.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post("/api/v1/wearables/devices", device.merging(["patient_id": cast.otherPatient.id]) { $1 }, token: cast.patient.token),
                            .forbidden, code: "forbidden")

            _ = try await client.post("/api/v1/wearables/sync", ["patient_id": cast.patient.id, "device_id": "watch-1", "metrics": [
                ["metric_type": "heart_rate", "value": 70, "timestamp": "2025-11-19T10:00:00Z"],
                ["metric_type": "heart_rate", "value": 91, "timestamp": "2025-11-19T11:00:00Z"],
                ["metric_type": "blood_oxygen", "value": 0.97, "unit": "%", "timestamp": "2025-11-19T11:00:00Z"],
                ["metric_type": "steps", "value": 300, "timestamp": "2025-11-19T11:00:00Z"],
            ] as [Any]], token: cast.patient.token)
            let fields = [("patient_id", cast.patient.id), ("title", "CBC"), ("record_type", "LAB_REPORT"), ("date", "2025-11-15")]
            #expect(try await DocumentRoutesTests.upload(client, DocumentRoutesTests.multipart(fields, file: [1, 2]), token: cast.patient.token).status == .created)

            let overview = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/complete", token: cast.doctor.token))
            #expect((overview["profile"] as? [String: Any])?["id"] as? String == cast.patient.id)
            #expect((overview["devices"] as? [[String: Any]])?.map { $0["device_id"] as? String } == ["watch-1"])
            let records = overview["records"] as? [String: Any]
            #expect(records?["total"] as? Int == 1 && (records?["by_type"] as? [[String: Any]])?.first?["record_type"] as? String == "LAB_REPORT")
            let vitals = Dictionary(uniqueKeysWithValues: (overview["latest_vitals"] as? [[String: Any]] ?? []).map { ($0["metric_type"] as? String ?? "", $0) })
            #expect(vitals["heart_rate"]?["value"] as? Double == 91 && vitals["heart_rate"]?["measured_at"] as? String == "2025-11-19T11:00:00Z")
            #expect(vitals["blood_oxygen"]?["value"] as? Double == 97 && vitals["steps"] == nil, "steps are activity, not a vital sign")
            let info = overview["device_info"] as? [String: Any]
            #expect(info?["total_metrics"] as? Int == 4 && info?["last_sync"] as? String == "2025-11-19T11:00:00Z")

            try expectError(try await client.get("/api/v1/patients/\(cast.patient.id)/complete", token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))["entries"] as? [[String: Any]] ?? []
            #expect(log.contains { $0["object_type"] as? String == "patient_overview" && $0["actor_role"] as? String == "DOCTOR" })
        }
    }

    @Test func aPatientPairsAnIPhoneOnceListsItAndUnpairsIt() async throws {
        try await TestNode.withNode(demo: true, role: .hub) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let request: [String: Any] = [
                "ios_user_id": "ios-user-1", "ios_device_id": "iphone-15-pro", "android_user_id": cast.patient.id, "device_name": "Apple Watch Series 9",
                "device_type": "apple_watch", "pairing_code": "qr-code-data-1",
            ]
            let first = try await client.post("/api/v1/wearables/devices/pair", request, token: cast.patient.token)
            #expect(first.status == .created)
            let pairing = try object(first)
            #expect(pairing["is_active"] as? Bool == true && pairing["patient_id"] as? String == cast.patient.id && pairing["pairing_code"] == nil)
            let again = try object(try await client.post("/api/v1/wearables/devices/pair", request.merging(["pairing_code": "qr-code-data-2"]) { $1 }, token: cast.patient.token))
            #expect(again["pairing_id"] as? String == pairing["pairing_id"] as? String, "the same iPhone is one pairing")
            try expectError(try await client.post("/api/v1/wearables/devices/pair", ["ios_user_id": "x"], token: cast.patient.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post("/api/v1/wearables/devices/pair", request, token: cast.doctor.token), .forbidden, code: "forbidden")

            let paired = "/api/v1/wearables/devices/paired?patient_id=\(cast.patient.id)"
            #expect(try array(try await client.get(paired, token: cast.doctor.token)).map { $0["ios_device_id"] as? String } == ["iphone-15-pro"])
            try expectError(try await client.get(paired, token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            let unpair = "/api/v1/wearables/devices/unpair/\(try #require(pairing["pairing_id"] as? String))"
            try expectError(try await client.execute(uri: unpair, method: .delete, headers: [.authorization: "Bearer \(cast.otherPatient.token)"]), .notFound, code: "not_found")
            #expect(try await client.execute(uri: unpair, method: .delete, headers: [.authorization: "Bearer \(cast.patient.token)"]).status == .noContent)
            #expect(try array(try await client.get(paired, token: cast.patient.token)).isEmpty)
            try expectError(try await client.execute(uri: unpair, method: .delete, headers: [.authorization: "Bearer \(cast.patient.token)"]), .notFound, code: "not_found")
        }
    }
}
