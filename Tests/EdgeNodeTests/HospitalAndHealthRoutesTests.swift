import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

@Suite struct HospitalRoutesTests {
    @Test func demoHospitalsAreSeededListedAndSearchable() async throws {
        try await TestNode.withRouter(demo: true) { client in
            let login = try object(try await client.post("/api/v1/auth/login", ["email": "hospital1@gmail.com", "password": "passme@123"]))
            let token = try #require(login["access_token"] as? String)
            #expect((login["user"] as? [String: Any])?["hospital_code"] as? String == "HC-B2631D")

            for path in ["/api/v1/hospitals/", "/api/v1/hospitals"] {
                let list = try array(try await client.get(path, token: token))
                #expect(Set(list.compactMap { $0["hospital_code"] as? String }) == ["HC-B2631D", "HC-L9MLES", "HC-E8O2O2", "HC-JXOTB9", "HC-A1NRS2"])
            }
            let byName = try array(try await client.get("/api/v1/hospitals/search?query=apollo", token: token))
            #expect(byName.map { $0["name"] as? String } == ["Apollo Hospital Bangalore"])
            #expect(Set(byName[0].keys).isSuperset(of: ["id", "name", "hospital_code", "city", "state"]))
            let byCode = try array(try await client.get("/api/v1/hospitals/search?query=hc-l9m", token: token))
            #expect(byCode.map { $0["hospital_code"] as? String } == ["HC-L9MLES"])
            #expect(try array(try await client.get("/api/v1/hospitals/search?query=%25", token: token)).isEmpty)
            try expectError(try await client.get("/api/v1/hospitals/search", token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.get("/api/v1/hospitals/"), .unauthorized, code: "not_authenticated")
        }
    }

    @Test func searchReturnsAtMostFifty() async throws {
        try await TestNode.withRouter { client in
            var token = ""
            for index in 0..<55 {
                let body = try await client.signUpHospital(["email": "admin\(index)@chain.example", "name": "Chain Hospital \(index)"])
                token = body["access_token"] as? String ?? token
            }
            #expect(try array(try await client.get("/api/v1/hospitals/search?query=CHAIN", token: token)).count == 50)
            #expect(try array(try await client.get("/api/v1/hospitals/", token: token)).count == 55)
        }
    }
}

@Suite struct HealthAndReplicationRoutesTests {
    @Test func healthAnswersInTheContractShapeWithNodeAndSync() async throws {
        try await TestNode.withRouter { client in
            for path in ["/health", "/api/v1/health"] {
                let response = try await client.get(path)
                #expect(response.status == .ok)
                let body = try object(response)
                #expect(body["status"] as? String == "healthy")
                #expect(body["version"] as? String == "1.0")
                #expect((body["timestamp"] as? String)?.hasSuffix("Z") == true)
                #expect((body["services"] as? [String: String])?["sqlite"] == "connected")
                let node = try #require(body["node"] as? [String: Any])
                #expect(node["role"] as? String == "node")
                #expect(UUID(uuidString: node["id"] as? String ?? "") != nil)
                let sync = try #require(body["sync"] as? [String: Any])
                #expect(sync["backlog"] as? Int == 0)
                #expect((sync["peers"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func replicationEndpointsRequireTheDeploymentToken() async throws {
        try await TestNode.withRouter { client in
            for path in ["/replication/v1/changes", "/replication/v1/digest", "/replication/v1/status"] {
                try expectError(try await client.get(path), .unauthorized, code: "invalid_deployment_token")
                try expectError(try await client.get(path, headers: [ReplicationAuthMiddleware.header: "wrong"]), .unauthorized, code: "invalid_deployment_token")
            }
            let push = try await client.execute(uri: "/replication/v1/changes", method: .post, body: ByteBuffer(bytes: [1, 2, 3]))
            try expectError(push, .unauthorized, code: "invalid_deployment_token")
        }
    }

    @Test func replicationFeedStatusDigestAndPush() async throws {
        let token: HTTPFields = [ReplicationAuthMiddleware.header: try DeploymentSecret(TestNode.secret).replicationToken]
        try await TestNode.withRouter { client in
            _ = try await client.signUpHospital()
            let status = try object(try await client.get("/replication/v1/status", headers: token))
            #expect((status["db_version"] as? Int ?? 0) > 0)
            #expect(status["schema_fingerprint"] as? String == DomainTables.schema.fingerprint)

            let changes = try await client.get("/replication/v1/changes?since=0&limit=1000", headers: token)
            #expect(changes.headers[.contentType] == ChangeBatchCodec.mediaType)
            let batch = try ChangeBatchCodec.decode(Array(changes.body.readableBytesView))
            #expect(Set(batch.tables.map(\.table)) == ["users", "hospitals", "refresh_tokens", "audit_logs"])
            #expect(!batch.hasMore)

            let digest = try object(try await client.get("/replication/v1/digest", headers: token))
            #expect((digest["combined"] as? String)?.count == 64)

            // Pushing the node's own feed back is refused; garbage is a 400, never a 500.
            var pushHeaders = token
            pushHeaders[.contentType] = ChangeBatchCodec.mediaType
            let echo = try await client.execute(uri: "/replication/v1/changes", method: .post, headers: pushHeaders, body: changes.body)
            try expectError(echo, .badRequest, code: "bad_request")
            let garbage = try await client.execute(uri: "/replication/v1/changes", method: .post, headers: pushHeaders, body: ByteBuffer(bytes: [0x43, 0x43, 0x45, UInt8(ReplicationProtocol.version), 9]))
            try expectError(garbage, .badRequest, code: "malformed_batch")
            try expectError(try await client.get("/replication/v1/changes?since=-1", headers: token), .unprocessableContent, code: "validation_error")
        }
    }

    @Test func unknownRoutesAnswerJSON404() async throws {
        try await TestNode.withRouter { client in
            try expectError(try await client.get("/api/v1/nothing-here"), .notFound, code: "not_found")
        }
    }
}
