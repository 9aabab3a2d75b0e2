import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

@Suite struct HospitalResourcesRoutesTests {
    nonisolated(unsafe) static let resources: [String: Any] = [
        "total_beds": 500, "available_beds": 180, "oxygen_cylinders": 200, "ventilators": 50, "ambulances": 10, "blood_bags": 500,
    ]

    @Test func onlyAHospitalsOwnAdminsUpdateItsResourcesAndEveryoneSignedInReadsThem() async throws {
        try await TestNode.withRouter(demo: true) { client in
            let apolloAdmin = try await client.accessToken("hospital1@gmail.com"), manipalAdmin = try await client.accessToken("hospital2@gmail.com")
            let list = try array(try await client.get("/api/v1/hospitals/", token: apolloAdmin))
            let apollo = try #require(list.first { $0["hospital_code"] as? String == "HC-B2631D" }?["id"] as? String)
            let path = "/api/v1/hospitals/\(apollo)/resources"

            let before = try object(try await client.get(path, token: manipalAdmin))
            #expect(before["total_beds"] as? Int == 0 && before["updated_at"] is NSNull, "nothing declared yet: \(before)")
            let updated = try await client.put(path, Self.resources, token: apolloAdmin)
            #expect(updated.status == .ok)
            let body = try object(updated)
            #expect(body["hospital_id"] as? String == apollo && body["available_beds"] as? Int == 180 && body["blood_bags"] as? Int == 500)
            #expect((body["updated_at"] as? String)?.hasSuffix("Z") == true)
            let seen = try object(try await client.get(path, token: manipalAdmin))
            #expect(seen["ventilators"] as? Int == 50, "another facility's admin reads them (referrals)")

            try expectError(try await client.put(path, Self.resources, token: manipalAdmin), .forbidden, code: "forbidden")
            try expectError(try await client.put(path, Self.resources), .unauthorized, code: "not_authenticated")
            let tooMany = try await client.put(path, Self.resources.merging(["available_beds": 501]) { $1 }, token: apolloAdmin)
            try expectError(tooMany, .unprocessableContent, code: "validation_error")
            #expect((try object(tooMany)["fields"] as? [[String: Any]])?.first?["field"] as? String == "available_beds")
            var missing = Self.resources
            missing["ventilators"] = nil
            missing["ambulances"] = -1
            let fields = (try object(try await client.put(path, missing, token: apolloAdmin))["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(Set(fields) == ["ventilators", "ambulances"])
            try expectError(try await client.put(path, ["total_beds": "many"], token: apolloAdmin), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("/api/v1/hospitals/\(UUID())/resources", token: apolloAdmin), .notFound, code: "not_found")
            try expectError(try await client.get("/api/v1/hospitals/not-an-id/resources", token: apolloAdmin), .notFound, code: "not_found")
            #expect(try object(try await client.get(path, token: apolloAdmin))["available_beds"] as? Int == 180, "refused updates changed nothing")
        }
    }
}

@Suite struct HubAndAdminRoutesTests {
    static let operatorToken: HTTPFields = [HTTPField.Name("X-Deployment-Token")!: try! DeploymentSecret(TestNode.secret).replicationToken]

    @Test func anOperatorCreatesSystemAdminsWhoAloneSeeTheHubsFacilities() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let admin = ["email": "ops@cloudcare.example", "password": "OpsPass123!"]
            var headers = Self.operatorToken
            headers[.contentType] = "application/json"
            let created = try await client.execute(uri: "/admin/v1/system-admins", method: .post, headers: headers, body: json(admin))
            #expect(created.status == .created)
            let account = try object(created)
            #expect(account["role"] as? String == "SYSTEM_ADMIN" && account["email"] as? String == "ops@cloudcare.example")
            #expect(account["password_hash"] == nil)
            try expectError(
                try await client.execute(uri: "/admin/v1/system-admins", method: .post, headers: headers, body: json(admin)), .conflict, code: "conflict"
            )
            try expectError(
                try await client.execute(uri: "/admin/v1/system-admins", method: .post, headers: headers, body: json(["email": "nope", "password": "short"])),
                .unprocessableContent, code: "validation_error"
            )
            try expectError(try await client.post("/admin/v1/system-admins", admin), .unauthorized, code: "invalid_deployment_token")

            let systemAdmin = try await client.accessToken("ops@cloudcare.example", "OpsPass123!")
            let apolloAdmin = try await client.accessToken("hospital1@gmail.com")
            let apollo = try #require(try array(try await client.get("/api/v1/hospitals/search?query=HC-B2631D", token: apolloAdmin)).first?["id"] as? String)
            #expect(try await client.put("/api/v1/hospitals/\(apollo)/resources", HospitalResourcesRoutesTests.resources, token: apolloAdmin).status == .ok)

            let facilities = try array(try await client.get("/api/v1/hub/facilities", token: systemAdmin))
            #expect(facilities.compactMap { $0["facility"] as? String } == ["HC-A1NRS2", "HC-B2631D", "HC-E8O2O2", "HC-JXOTB9", "HC-L9MLES"])
            let report = try #require(facilities.first { $0["facility"] as? String == "HC-B2631D" })
            #expect((report["hospital"] as? [String: Any])?["name"] as? String == "Apollo Hospital Bangalore")
            #expect((report["resources"] as? [String: Any])?["total_beds"] as? Int == 500)
            #expect((report["nodes"] as? [Any])?.isEmpty == true && report["backlog"] as? Int == 0 && report["refused_changes"] as? Int == 0)
            try expectError(try await client.get("/api/v1/hub/facilities", token: apolloAdmin), .forbidden, code: "forbidden")
            try expectError(try await client.get("/api/v1/hub/facilities"), .unauthorized, code: "not_authenticated")
        }
    }

    @Test func aNodeHasNoHubViewAndCreatesNoAdministrators() async throws {
        try await TestNode.withRouter { client in
            let body = try await client.signUpHospital()
            let token = try #require(body["access_token"] as? String)
            try expectError(try await client.get("/api/v1/hub/facilities", token: token), .notFound, code: "not_found")
            var headers = Self.operatorToken
            headers[.contentType] = "application/json"
            let admin = try await client.execute(
                uri: "/admin/v1/system-admins", method: .post, headers: headers, body: json(["email": "ops@cloudcare.example", "password": "OpsPass123!"])
            )
            try expectError(admin, .notFound, code: "not_found")
        }
    }
}
