import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import EdgeNode

@Suite struct AuditTrailTests {
    func entries(_ response: TestResponse) throws -> [[String: Any]] {
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try #require(try object(response)["entries"] as? [[String: Any]])
    }

    @Test func aPatientSeesEveryAccessToTheirDataAndNothingElse() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let me = try object(try await client.get("/api/v1/auth/me", token: cast.patient.token))
            let login = try object(try await client.post("/api/v1/auth/login", ["email": "patient1@example.com", "password": "SecurePass123!"]))
            #expect(try await client.post("/api/v1/auth/refresh", ["refresh_token": login["refresh_token"] as! String]).status == .ok)

            let log = try entries(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))
            #expect(log.map { "\($0["action"]!) \($0["object_type"]!)" } == [
                "READ access_log", "REFRESH session", "LOGIN session", "READ account", "UPDATE consent", "CREATE consent", "CREATE patient",
            ])
            for entry in log where entry["object_type"] as? String != "consent" || entry["action"] as? String == "UPDATE" {
                #expect(entry["actor_id"] as? String == me["id"] as? String && entry["actor_role"] as? String == "PATIENT")
            }
            #expect(log.first { $0["action"] as? String == "CREATE" && $0["object_type"] as? String == "consent" }?["actor_role"] as? String == "DOCTOR")
            for entry in log {
                #expect(entry["patient_id"] as? String == cast.patient.id)
                #expect(UUID(uuidString: entry["node_id"] as? String ?? "") != nil && entry["occurred_at"] is String)
            }
            // The system administrator's reading is itself recorded in the patient's log.
            #expect(try entries(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.systemAdmin)).count == 8)
            let latest = try entries(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log?limit=2", token: cast.patient.token))
            #expect(latest.map { $0["actor_role"] as? String } == ["PATIENT", "SYSTEM_ADMIN"])
            // Another patient's log holds none of this.
            let other = try entries(try await client.get("/api/v1/patients/\(cast.otherPatient.id)/access-log", token: cast.otherPatient.token))
            #expect(other.allSatisfy { $0["patient_id"] as? String == cast.otherPatient.id } && other.count == 3)
        }
    }

    @Test func facilitiesSeeTheirOwnTrailAndSystemAdminsSeeEverythingPaged() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let apollo = try entries(try await client.get("/api/v1/hospitals/\(cast.hospitalAdmin.hospital)/audit-log", token: cast.hospitalAdmin.token))
            let kinds = Set(apollo.map { "\($0["actor_role"]!) \($0["action"]!) \($0["object_type"]!)" })
            #expect(kinds.isSuperset(of: ["DOCTOR CREATE doctor", "HOSPITAL_ADMIN LOGIN session", "HOSPITAL_ADMIN READ audit_log"]))
            #expect(apollo.allSatisfy { $0["hospital_id"] as? String == cast.hospitalAdmin.hospital })
            let manipal = try entries(try await client.get("/api/v1/hospitals/\(cast.otherHospital)/audit-log", token: cast.systemAdmin))
            #expect(manipal.allSatisfy { $0["hospital_id"] as? String == cast.otherHospital })
            #expect(!manipal.contains { $0["object_id"] as? String == cast.doctor.id }, "Apollo's doctor is not in Manipal's trail")

            let all = try entries(try await client.get("/api/v1/audit-logs?limit=1000", token: cast.systemAdmin))
            #expect(all.contains { $0["object_type"] as? String == "patient" } && all.contains { $0["object_type"] as? String == "doctor" })
            var paged: [String] = [], before: String? = nil
            for _ in 0..<100 {
                let page = try object(try await client.get("/api/v1/audit-logs?limit=3" + (before.map { "&before=\($0)" } ?? ""), token: cast.systemAdmin))
                paged += (page["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                guard let next = page["next_before"] as? String else { break }
                before = next
            }
            #expect(paged.count >= all.count && Set(paged).count == paged.count, "pages cover the trail without repeats")

            try expectError(try await client.get("/api/v1/audit-logs?limit=0", token: cast.systemAdmin), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("/api/v1/audit-logs?before=yesterday", token: cast.systemAdmin), .unprocessableContent, code: "validation_error")
            try expectError(
                try await client.get("/api/v1/patients/\(UUID().uuidString.lowercased())/access-log", token: cast.systemAdmin), .notFound, code: "not_found"
            )
        }
    }
}
