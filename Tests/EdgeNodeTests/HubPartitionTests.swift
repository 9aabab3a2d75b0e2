import Foundation
import Testing
@testable import EdgeNode

extension LiveProcessTests {
    /// The hub over mutual TLS with real processes: nodes of two facilities keep working while the hub
    /// is away, and everything converges when it returns; SYSTEM_ADMIN sees the fleet.
    @Suite(.serialized) struct HubPartitionTests {
        let http = LiveClient()

        func token(_ node: ProvisionedNode, _ email: String, _ password: String = "passme@123") async throws -> [String: Any] {
            let reply = try await http.request(.POST, node.api + "/api/v1/auth/login", body: ["email": email, "password": password])
            try #require(reply.status == 200, "login \(email) at \(node.name): \(reply.object)")
            return reply.object
        }

        @Test func writesAtBothNodesWhileTheHubIsDownConvergeEverywhereWhenItReturns() async throws {
            let deployment = try LiveDeployment(nodes: [.init(name: "apollo", facility: "HC-B2631D"), .init(name: "manipal", facility: "HC-L9MLES")])
            defer { deployment.tearDown() }
            let hub = deployment.hub, a = deployment["apollo"], b = deployment["manipal"]
            for node in deployment.all { try deployment.start(node) }
            for node in deployment.all {
                try await http.eventually(60, "\(node.name) healthy") { try await http.request(.GET, node.api + "/health").object["status"] as? String == "healthy" }
            }
            // The demo hospitals reach both nodes from the hub.
            try await http.eventually(30, "demo accounts at both nodes") {
                let atB = try await http.request(.POST, b.api + "/api/v1/auth/login", body: ["email": "hospital1@gmail.com", "password": "passme@123"])
                let atA = try await http.request(.POST, a.api + "/api/v1/auth/login", body: ["email": "hospital2@gmail.com", "password": "passme@123"])
                return atA.status == 200 && atB.status == 200
            }
            let apolloLogin = try await token(a, "hospital1@gmail.com")
            let apolloToken = try #require(apolloLogin["access_token"] as? String)
            let firstRefresh = try #require(apolloLogin["refresh_token"] as? String)
            let apolloID = try #require((apolloLogin["user"] as? [String: Any])?["hospital_id"] as? String)
            let manipalToken = try #require(try await token(b, "hospital2@gmail.com")["access_token"] as? String)
            let manipalID = try #require(try await http.request(.GET, b.api + "/api/v1/auth/me", token: manipalToken).object["hospital_id"] as? String)

            // The hub goes away; both facilities keep writing.
            deployment.stop(hub)
            let beds = ["total_beds": 300, "available_beds": 111, "oxygen_cylinders": 40, "ventilators": 12, "ambulances": 4, "blood_bags": 90]
            #expect(try await http.request(.PUT, a.api + "/api/v1/hospitals/\(apolloID)/resources", body: beds, token: apolloToken).status == 200)
            #expect(try await http.request(.PUT, b.api + "/api/v1/hospitals/\(manipalID)/resources", body: beds.merging(["available_beds": 222]) { $1 }, token: manipalToken).status == 200)
            #expect(try await http.request(.PUT, b.api + "/api/v1/hospitals/\(apolloID)/resources", body: beds, token: apolloToken).status == 403,
                    "another facility's node refuses it before the hub would")
            // A session begun at B while it is cut off from the hub (a new row, made offline).
            let offlineLogin = try await token(b, "hospital1@gmail.com")
            let offlineRefresh = try #require(offlineLogin["refresh_token"] as? String)
            // A session revoked at A while A is cut off (refresh-token reuse revokes the family: a monotone status).
            let rotated = try await http.request(.POST, a.api + "/api/v1/auth/refresh", body: ["refresh_token": firstRefresh])
            #expect(rotated.status == 200)
            let secondRefresh = try #require(rotated.object["refresh_token"] as? String)
            #expect(try await http.request(.POST, a.api + "/api/v1/auth/refresh", body: ["refresh_token": firstRefresh]).status == 401)
            // A DocAssist backup taken at A while the hub is away.
            let backup = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
            let form = DocumentRoutesTests.multipart([("device_id", "ward-pc"), ("device_name", "Ward PC")], file: backup, fileName: "ward.db.enc")
            let uploaded = try await http.raw(.POST, a.api + "/backup/upload", body: Array(form.readableBytesView),
                                              contentType: "multipart/form-data; boundary=\(DocumentRoutesTests.boundary)", token: apolloToken)
            #expect(uploaded.status == 200)
            let backupID = try #require((try JSONSerialization.jsonObject(with: Data(uploaded.bytes)) as? [String: Any])?["backup_id"] as? String)
            try await Task.sleep(for: .seconds(2))

            // The hub returns: everything converges at all three.
            try deployment.start(hub)
            try await http.eventually(90, "hub and both nodes equal") { try deployment.replicasEqual([hub, a, b]) }
            try await http.eventually(30, "the backup's file pushed to the hub over mutual TLS") {
                try await http.raw(.GET, hub.api + "/backup/download/\(backupID)", token: apolloToken) == (200, backup)
            }
            #expect(try await http.request(.POST, b.api + "/api/v1/auth/refresh", body: ["refresh_token": secondRefresh]).status == 401,
                    "the revocation made at A during the partition holds at B")
            #expect(try await http.request(.POST, a.api + "/api/v1/auth/refresh", body: ["refresh_token": offlineRefresh]).status == 200,
                    "the session begun offline at B is known at A")
            let apolloAtB = try await http.request(.GET, b.api + "/api/v1/hospitals/\(apolloID)/resources", token: manipalToken).object
            #expect(apolloAtB["available_beds"] as? Int == 111)
            let manipalAtA = try await http.request(.GET, a.api + "/api/v1/hospitals/\(manipalID)/resources", token: apolloToken).object
            #expect(manipalAtA["available_beds"] as? Int == 222)

            // The operator creates a SYSTEM_ADMIN at the hub with edgectl; it sees the fleet.
            let passwordFile = deployment.root + "/admin-password"
            try "OpsPass123!\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let created = try NodeProcess.run("edgectl", [
                "user", "create-admin", "--node", hub.replication, "--config", hub.config, "--email", "ops@cloudcare.example", "--password-file", passwordFile,
            ])
            #expect(created.status == 0 && created.output.contains("SYSTEM_ADMIN"), "\(created.output)")
            let fromANode = try NodeProcess.run("edgectl", [
                "user", "create-admin", "--node", hub.replication, "--config", a.config, "--email", "rogue@cloudcare.example", "--password-file", passwordFile,
            ])
            #expect(fromANode.status != 0 && fromANode.output.contains("403"), "only the hub's own bundle creates administrators: \(fromANode.output)")
            let opsToken = try #require(try await token(hub, "ops@cloudcare.example", "OpsPass123!")["access_token"] as? String)
            var facilities: [[String: Any]] = []
            try await http.eventually(30, "both nodes listed under their facilities") {
                facilities = try await http.request(.GET, hub.api + "/api/v1/hub/facilities", token: opsToken).array
                return [("HC-B2631D", a), ("HC-L9MLES", b)].allSatisfy { code, node in
                    let report = facilities.first { $0["facility"] as? String == code }
                    return (report?["nodes"] as? [[String: Any]])?.contains { $0["node_id"] as? String == node.nodeID } == true
                }
            }
            let apollo = try #require(facilities.first { $0["facility"] as? String == "HC-B2631D" })
            #expect((apollo["resources"] as? [String: Any])?["available_beds"] as? Int == 111)
            #expect(apollo["refused_changes"] as? Int == 0 && apollo["last_contact_at"] is String)
            #expect(try await http.request(.GET, hub.api + "/api/v1/hub/facilities", token: apolloToken).status == 403)
        }
    }
}
