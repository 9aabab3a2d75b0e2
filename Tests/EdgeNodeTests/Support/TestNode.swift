import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Replication
import Testing
@testable import EdgeNode

enum TestNode {
    static let secret = "test-deployment-secret-0123456789"

    static func settings(demo: Bool = false) -> NodeSettings {
        var settings = NodeSettings()
        settings.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-test-\(UUID())").path
        settings.deploymentSecret = secret
        settings.bcryptCost = 4
        settings.demo = demo
        settings.logLevel = .warning
        settings.nodeName = "test-node"
        settings.loginLimitPerAccount = RateLimit(requests: 10_000, per: 60)
        settings.loginLimitPerAddress = RateLimit(requests: 10_000, per: 60)
        return settings
    }

    /// Boots a fresh node (own temporary database) and runs `body` against its router.
    static func withRouter(
        demo: Bool = false, role: NodeSettings.Role = .node, clock: any PhysicalClock = SystemClock(),
        configure: (inout NodeSettings) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withNode(demo: demo, role: role, clock: clock, configure: configure) { _, client in try await body(client) }
    }

    /// Like `withRouter`, also handing `body` the node's registered routes and endpoint catalog.
    static func withNode(
        demo: Bool = false, role: NodeSettings.Role = .node, clock: any PhysicalClock = SystemClock(),
        configure: (inout NodeSettings) -> Void = { _ in },
        _ body: @Sendable (NodeUnderTest, any TestClientProtocol) async throws -> Void
    ) async throws {
        var settings = settings(demo: demo)
        settings.role = role
        configure(&settings)
        defer { try? FileManager.default.removeItem(atPath: settings.dataDirectory) }
        let node = try await buildNode(settings, clock: clock)
        let anatomy = NodeUnderTest(routes: node.router.routes.map { .init(method: $0.method, path: "\($0.path)") }, catalog: node.catalog)
        try await node.application.test(.router) { client in try await body(anatomy, client) }
    }

    nonisolated(unsafe) static let hospitalSignup: [String: Any] = [
        "email": "admin@citygeneral.example", "password": "SecurePass123!", "name": "City General Hospital",
        "phone_primary": "+911234567890", "phone_emergency": "+911234567899", "address_line1": "Hospital Road",
        "city": "Bangalore", "state": "Karnataka", "postal_code": "560001", "country": "India",
        "facility_type": "MULTI_SPECIALTY_HOSPITAL", "total_beds": 500, "icu_beds": 50, "emergency_beds": 100,
        "operation_theatres": 10, "has_emergency": true, "has_ambulance": true, "has_pharmacy": true,
        "has_lab": true, "has_blood_bank": true,
    ]
}

func json(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}

func array(_ response: TestResponse) throws -> [[String: Any]] {
    try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
}

extension TestClientProtocol {
    func post(_ uri: String, _ body: Any, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .post, headers: headers, body: json(body))
    }

    func put(_ uri: String, _ body: Any, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .put, headers: headers, body: json(body))
    }

    /// Logs in and returns the access token.
    func accessToken(_ email: String, _ password: String = "passme@123") async throws -> String {
        let login = try object(try await post("/api/v1/auth/login", ["email": email, "password": password]))
        return try #require(login["access_token"] as? String, "login of \(email): \(login)")
    }

    func get(_ uri: String, token: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .get, headers: headers)
    }

    /// Signs up a hospital and returns the response object.
    func signUpHospital(_ overrides: [String: Any] = [:]) async throws -> [String: Any] {
        let response = try await post("/api/v1/auth/signup/hospital", TestNode.hospitalSignup.merging(overrides) { $1 })
        #expect(response.status == .created)
        return try object(response)
    }
}

/// Asserts the API's error shape and code.
func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(response.status == status, sourceLocation: sourceLocation)
    let body = try object(response)
    #expect(body["code"] as? String == code, sourceLocation: sourceLocation)
    #expect((body["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
}

/// What tests see of a built node: the routes its router registered, and its endpoint catalog.
struct NodeUnderTest: Sendable {
    struct Route: Sendable {
        let method: HTTPRequest.Method
        let path: String
    }

    let routes: [Route]
    let catalog: APICatalog
}
