import Domain
import Foundation
import HummingbirdTesting
import Testing
@testable import EdgeNode

/// The metric reads over a small dataset whose answers are known, on a node in India
/// (UTC+05:30): calendar days are IST days, the night's sleep from a phone and a watch is not
/// double-counted, and the same data read in UTC falls on other days.
@Suite struct WearableMetricsTests {
    static let now = Date(timeIntervalSince1970: Double(InstantText.milliseconds("2025-11-19T12:00:00Z")!) / 1000)  // 17:30 IST

    nonisolated(unsafe) static let samples: [[String: Any]] = [
        ["metric_type": "steps", "value": 100, "timestamp": "2025-11-18T18:29:00Z"],  // 23:59 IST, the 18th
        ["metric_type": "steps", "value": 200, "timestamp": "2025-11-18T18:30:00Z"],  // 00:00 IST, the 19th
        ["metric_type": "steps", "value": 300, "timestamp": "2025-11-19T05:00:00Z"],
        ["metric_type": "heart_rate", "value": 60, "timestamp": "2025-11-18T10:00:00Z"],
        ["metric_type": "heart_rate", "value": 70, "timestamp": "2025-11-19T04:00:00Z"],
        ["metric_type": "heart_rate", "value": 90, "timestamp": "2025-11-19T04:10:00Z"],
        ["metric_type": "distance", "value": 1500, "unit": "m", "timestamp": "2025-11-19T05:00:00Z"],
        // The watch's night: 2 h core, 1 h deep, 15 min awake, 1 h REM…
        ["metric_type": "sleep_core", "timestamp": "2025-11-18T17:30:00Z", "end_timestamp": "2025-11-18T19:30:00Z"],
        ["metric_type": "sleep_deep", "timestamp": "2025-11-18T19:30:00Z", "end_timestamp": "2025-11-18T20:30:00Z"],
        ["metric_type": "sleep_awake", "timestamp": "2025-11-18T20:30:00Z", "end_timestamp": "2025-11-18T20:45:00Z"],
        ["metric_type": "sleep_rem", "timestamp": "2025-11-18T20:45:00Z", "end_timestamp": "2025-11-18T21:45:00Z"],
        // …and the phone's, overlapping it: 4.75 h in bed, and core it also saw.
        ["metric_type": "sleep_in_bed", "timestamp": "2025-11-18T17:15:00Z", "end_timestamp": "2025-11-18T22:00:00Z", "device_id": "phone"],
        ["metric_type": "sleep_core", "timestamp": "2025-11-18T18:00:00Z", "end_timestamp": "2025-11-18T19:00:00Z", "device_id": "phone"],
    ]

    func withData(_ body: @Sendable (any TestClientProtocol, TestAccounts.Cast) async throws -> Void) async throws {
        try await TestNode.withNode(demo: true, role: .hub, clock: ManualClock(Self.now), configure: { $0.timeZone = TimeZone(identifier: "Asia/Kolkata")! }) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let report = try object(try await client.post("/api/v1/wearables/sync", ["patient_id": cast.patient.id, "device_id": "watch", "metrics": Self.samples],
                                                          token: cast.patient.token))
            #expect(report["accepted"] as? Int == Self.samples.count, "\(report)")
            try await body(client, cast)
        }
    }

    @Test func comprehensiveCountsISTDaysAndOneNightOfSleep() async throws {
        try await withData { client, cast in
            let body = try object(try await client.get("/api/v1/wearables/metrics/comprehensive?patient_id=\(cast.patient.id)&days=7", token: cast.doctor.token))
            let summary = try #require(body["summary"] as? [String: Any])
            #expect((summary["steps"] as? [String: Any])?["total"] as? Double == 500 && (summary["steps"] as? [String: Any])?["change"] as? String == "+400%")
            let heart = summary["heart_rate"] as? [String: Any]
            #expect(heart?["avg"] as? Double == 80 && heart?["min"] as? Double == 70 && heart?["max"] as? Double == 90 && heart?["change"] as? String == "+33%")
            #expect((summary["distance"] as? [String: Any])?["total"] as? Double == 1.5 && (summary["distance"] as? [String: Any])?["unit"] as? String == "km")
            let sleep = try #require(summary["sleep"] as? [String: Any])
            #expect(sleep["time_in_bed"] as? Double == 4.75 && sleep["time_asleep"] as? Double == 4 && sleep["unit"] as? String == "hours")
            let stages = sleep["stages"] as? [String: Any]
            #expect(stages?["core"] as? Double == 2 && stages?["deep"] as? Double == 1 && stages?["rem"] as? Double == 1 && stages?["awake"] as? Double == 0.25)

            let series = try #require(body["time_series"] as? [String: Any])
            let steps = series["steps"] as? [[String: Any]] ?? []
            #expect(steps.map { $0["date"] as? String } == ["2025-11-18", "2025-11-19"] && steps.map { $0["total"] as? Double } == [100, 500])
            let hourly = series["steps_hourly"] as? [[String: Any]] ?? []
            #expect(hourly.map { $0["date"] as? String } == ["2025-11-18 23:00", "2025-11-19 00:00", "2025-11-19 10:00"])
            #expect(hourly.map { $0["total"] as? Double } == [100, 200, 300])
            #expect((series["heart_rate"] as? [[String: Any]])?.last?["max"] as? Double == 90)
            #expect((series["sleep"] as? [[String: Any]])?.map { $0["date"] as? String } == ["2025-11-19"])
            let info = body["device_info"] as? [String: Any]
            #expect(info?["total_metrics"] as? Int == Self.samples.count && info?["last_sync"] as? String == "2025-11-19T05:00:00Z")

            // The same data in UTC: both midnight-adjacent step samples fall on the 18th.
            let utc = try object(try await client.get("/api/v1/wearables/metrics/comprehensive?patient_id=\(cast.patient.id)&days=7&tz=UTC", token: cast.patient.token))
            let utcSteps = (utc["time_series"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
            #expect(utcSteps.map { $0["total"] as? Double } == [300, 300])

            let today = try object(try await client.get("/api/v1/wearables/summary/today?patient_id=\(cast.patient.id)", token: cast.patient.token))
            #expect(today["date"] as? String == "2025-11-19" && ((today["summary"] as? [String: Any])?["steps"] as? [String: Any])?["total"] as? Double == 500)
        }
    }

    @Test func trendsAggregatesAndSampleLists() async throws {
        try await withData { client, cast in
            let base = "/api/v1/wearables/metrics", patient = "patient_id=\(cast.patient.id)", token = cast.patient.token
            let sleep = try object(try await client.get("\(base)/sleep-trends?\(patient)&days=7", token: token))["data"] as? [[String: Any]] ?? []
            #expect(sleep.count == 1 && sleep.first?["date"] as? String == "2025-11-19" && sleep.first?["time_asleep"] as? Double == 4)
            let heart = try object(try await client.get("\(base)/heart-rate-trends?\(patient)&days=7", token: token))["data"] as? [[String: Any]] ?? []
            #expect(heart.map { $0["bpm"] as? Double } == [60, 80] && heart.last?["min_bpm"] as? Double == 70 && heart.last?["max_bpm"] as? Double == 90)

            let daily = try object(try await client.get("\(base)/aggregated?\(patient)&metric_type=steps&start_date=2025-11-18&end_date=2025-11-19", token: token))
            #expect((daily["points"] as? [[String: Any]])?.map { $0["total"] as? Double } == [100, 500] && daily["unit"] as? String == "count")
            let weekly = try object(try await client.get("\(base)/aggregated?\(patient)&metric_type=HKQuantityTypeIdentifierStepCount&period=weekly&days=7", token: token))
            #expect((weekly["points"] as? [[String: Any]])?.map { $0["total"] as? Double } == [600])
            let hourly = try object(try await client.get("\(base)/aggregated?\(patient)&metric_type=heart_rate&period=hourly&days=1", token: token))
            #expect((hourly["points"] as? [[String: Any]])?.map { $0["avg"] as? Double } == [80] && (hourly["points"] as? [[String: Any]])?.first?["date"] as? String == "2025-11-19 09:00")

            let byType = try object(try await client.get("\(base)/by-type?\(patient)&metric_type=heart_rate&days=7", token: token))
            #expect(byType["count"] as? Int == 3 && (byType["metrics"] as? [[String: Any]])?.map { $0["value"] as? Double } == [60, 70, 90])
            #expect(byType["start_date"] as? String == "2025-11-13" && byType["end_date"] as? String == "2025-11-19")
            let recent = try object(try await client.get("\(base)/recent?\(patient)&hours=24&limit=2", token: token))
            #expect(recent["count"] as? Int == 2 && (recent["metrics"] as? [[String: Any]])?.map { $0["metric_type"] as? String } == ["steps", "distance"])

            try expectError(try await client.get("\(base)/aggregated?\(patient)&metric_type=sleep_core", token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("\(base)/aggregated?\(patient)&metric_type=caffeine", token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("\(base)/comprehensive?\(patient)&tz=Mars/Olympus", token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("\(base)/comprehensive?\(patient)&days=0", token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("\(base)/by-type?\(patient)&metric_type=steps&start_date=2025-11-19&end_date=2025-11-01", token: token),
                            .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("\(base)/comprehensive?\(patient)", token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: token))["entries"] as? [[String: Any]] ?? []
            #expect(log.filter { $0["object_type"] as? String == "health_metrics" && $0["action"] as? String == "READ" }.count >= 6, "every read audited")
        }
    }
}
