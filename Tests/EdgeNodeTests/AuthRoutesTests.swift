import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

@Suite struct AuthRoutesTests {
    @Test func hospitalSignUpReturnsTokensAndTheAdminAccount() async throws {
        try await TestNode.withRouter { client in
            let body = try await client.signUpHospital()
            #expect(body["token_type"] as? String == "bearer")
            #expect(body["expires_in"] as? Int == 1800)
            #expect((body["access_token"] as? String)?.split(separator: ".").count == 3)
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["role"] as? String == "HOSPITAL_ADMIN")
            #expect(user["email"] as? String == "admin@citygeneral.example")
            #expect(user["password_hash"] == nil)
            let code = try #require(user["hospital_code"] as? String)
            #expect(code.wholeMatch(of: /HC-[A-Z0-9]{6}/) != nil)
            #expect(UUID(uuidString: user["hospital_id"] as? String ?? "") != nil)
        }
    }

    @Test func loginMeAndRefreshRotation() async throws {
        try await TestNode.withRouter { client in
            _ = try await client.signUpHospital()
            let login = try object(try await client.post("/api/v1/auth/login", ["email": "Admin@CityGeneral.example", "password": "SecurePass123!"]))
            let access = try #require(login["access_token"] as? String)
            let me = try await client.get("/api/v1/auth/me", token: access)
            #expect(me.status == .ok)
            #expect(try object(me)["email"] as? String == "admin@citygeneral.example")

            let refresh = try #require(login["refresh_token"] as? String)
            let rotated = try await client.post("/api/v1/auth/refresh", ["refresh_token": refresh])
            #expect(rotated.status == .ok)
            let next = try #require(try object(rotated)["refresh_token"] as? String)
            #expect(next != refresh)
            #expect(try await client.get("/api/v1/auth/me", token: try object(rotated)["access_token"] as? String).status == .ok)

            // Replaying the rotated token revokes the whole family, including the new token.
            try expectError(try await client.post("/api/v1/auth/refresh", ["refresh_token": refresh]), .unauthorized, code: "refresh_token_reused")
            try expectError(try await client.post("/api/v1/auth/refresh", ["refresh_token": next]), .unauthorized, code: "invalid_refresh_token")
            try expectError(try await client.post("/api/v1/auth/refresh", ["refresh_token": "garbage"]), .unauthorized, code: "invalid_refresh_token")
        }
    }

    @Test func wrongPasswordAndUnknownEmailAnswerTheSame() async throws {
        try await TestNode.withRouter { client in
            _ = try await client.signUpHospital()
            let wrong = try await client.post("/api/v1/auth/login", ["email": "admin@citygeneral.example", "password": "nope-nope"])
            let unknown = try await client.post("/api/v1/auth/login", ["email": "nobody@citygeneral.example", "password": "nope-nope"])
            try expectError(wrong, .unauthorized, code: "invalid_credentials")
            try expectError(unknown, .unauthorized, code: "invalid_credentials")
            #expect(try object(wrong)["detail"] as? String == object(unknown)["detail"] as? String)
        }
    }

    @Test func duplicateEmailIsAConflict() async throws {
        try await TestNode.withRouter { client in
            _ = try await client.signUpHospital()
            var again = TestNode.hospitalSignup
            again["email"] = "ADMIN@citygeneral.example"
            try expectError(try await client.post("/api/v1/auth/signup/hospital", again), .conflict, code: "conflict")
        }
    }

    @Test func badInputGetsClearErrorsAndWritesNothing() async throws {
        try await TestNode.withRouter { client in
            var headers: HTTPFields = [.contentType: "application/json"]
            let malformed = try await client.execute(uri: "/api/v1/auth/signup/hospital", method: .post, headers: headers, body: .init(string: "{\"email\": "))
            try expectError(malformed, .badRequest, code: "bad_request")
            headers[.contentType] = "application/json"
            let empty = try await client.execute(uri: "/api/v1/auth/signup/hospital", method: .post, headers: headers)
            try expectError(empty, .badRequest, code: "bad_request")

            let missing = try await client.post("/api/v1/auth/signup/hospital", ["email": "x@y.example"])
            try expectError(missing, .unprocessableContent, code: "validation_error")
            let fields = try #require(try object(missing)["fields"] as? [[String: String]]).compactMap { $0["field"] }
            #expect(Set(fields).isSuperset(of: ["password", "name", "phone_primary", "city", "state", "postal_code"]))

            var badEnum = TestNode.hospitalSignup
            badEnum["facility_type"] = "CASTLE"
            let enumResponse = try await client.post("/api/v1/auth/signup/hospital", badEnum)
            try expectError(enumResponse, .unprocessableContent, code: "validation_error")
            #expect(try (object(enumResponse)["fields"] as? [[String: String]])?.first?["field"] == "facility_type")

            var wrongType = TestNode.hospitalSignup
            wrongType["total_beds"] = "many"
            let typeResponse = try await client.post("/api/v1/auth/signup/hospital", wrongType)
            try expectError(typeResponse, .unprocessableContent, code: "validation_error")
            #expect(try (object(typeResponse)["fields"] as? [[String: String]])?.first?["field"] == "total_beds")

            let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: 2 << 20)
            let tooLarge = try await client.execute(uri: "/api/v1/auth/signup/hospital", method: .post, headers: headers, body: huge)
            try expectError(tooLarge, .contentTooLarge, code: "payload_too_large")

            // Nothing of the rejected sign-ups exists.
            try expectError(try await client.post("/api/v1/auth/login", ["email": "x@y.example", "password": "whatever1"]), .unauthorized, code: "invalid_credentials")
        }
    }

    @Test func missingTamperedUnsignedAndExpiredTokensAreRefused() async throws {
        let past = FixedClock(milliseconds: UInt64(Date().addingTimeInterval(-3600).timeIntervalSince1970 * 1000))
        try await TestNode.withRouter { client in
            let access = try #require(try await client.signUpHospital()["access_token"] as? String)
            try expectError(try await client.get("/api/v1/auth/me"), .unauthorized, code: "not_authenticated")
            try expectError(try await client.get("/api/v1/auth/me", headers: [.authorization: "Basic abc"]), .unauthorized, code: "not_authenticated")

            var parts = access.split(separator: ".").map(String.init)
            let payload = try #require(Data(base64URL: parts[1]))
            var claims = try #require(JSONSerialization.jsonObject(with: payload) as? [String: Any])
            claims["role"] = "SYSTEM_ADMIN"
            parts[1] = try JSONSerialization.data(withJSONObject: claims).base64URL
            try expectError(try await client.get("/api/v1/auth/me", token: parts.joined(separator: ".")), .unauthorized, code: "invalid_token")

            let none = try JSONSerialization.data(withJSONObject: ["alg": "none", "typ": "JWT"]).base64URL
            try expectError(try await client.get("/api/v1/auth/me", token: "\(none).\(parts[1])."), .unauthorized, code: "invalid_token")

            let expired = try await TokenService(secret: DeploymentSecret(TestNode.secret), store: try TestNode.scratchStore(), clock: past)
                .accessTokenForTesting(userID: try #require(try object(try await client.get("/api/v1/auth/me", token: access))["id"] as? String))
            try expectError(try await client.get("/api/v1/auth/me", token: expired), .unauthorized, code: "invalid_token")
        }
    }
}

struct FixedClock: PhysicalClock {
    let milliseconds: UInt64
    func nowMilliseconds() -> UInt64 { milliseconds }
}

extension TestNode {
    static func scratchStore() throws -> ReplicatedStore {
        try ReplicatedStore.inMemory(schema: DomainTables.schema, migrations: DomainTables.registerMigrations, nodeID: NodeID(UUID()))
    }
}

extension TokenService {
    func accessTokenForTesting(userID: String) async throws -> String {
        let user = Domain.User(
            id: .init(userID)!, email: .init("t@t.example")!, passwordHash: "", role: .hospitalAdmin, createdAt: clock.now()
        )
        return try await issue(for: user).accessToken
    }
}

extension Data {
    init?(base64URL: String) {
        var text = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        self.init(base64Encoded: text)
    }

    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

import Domain
