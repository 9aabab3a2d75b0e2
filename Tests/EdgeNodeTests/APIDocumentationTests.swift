import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import EdgeNode

@Suite struct APIDocumentationTests {
    /// Every registered route is in `/openapi.json`, and every documented operation is a route.
    @Test(arguments: [NodeSettings.Role.hub, .node])
    func theOpenAPIDocumentCoversExactlyTheRegisteredRoutes(role: NodeSettings.Role) async throws {
        try await TestNode.withNode(role: role) { node, client in
            let response = try await client.get("/openapi.json")
            #expect(response.status == .ok && response.headers[.contentType] == "application/json")
            let document = try object(response)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
            let registered = Set(node.routes.map { "\($0.method) \($0.path)" })
            #expect(documented == registered, "undocumented: \(registered.subtracting(documented)); not served: \(documented.subtracting(registered))")

            // Operations are complete enough for a client generator: ids, summaries, responses,
            // path parameters declared, security stated, named schemas resolvable.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            var operationIDs: Set<String> = []
            for (path, operations) in paths {
                for (_, value) in operations {
                    let operation = try #require(value as? [String: Any])
                    let id = try #require(operation["operationId"] as? String)
                    #expect(operationIDs.insert(id).inserted, "duplicate operationId \(id)")
                    #expect((operation["summary"] as? String)?.isEmpty == false)
                    #expect(operation["security"] != nil && (operation["responses"] as? [String: Any])?.isEmpty == false)
                    let declared = Set(((operation["parameters"] as? [[String: Any]]) ?? []).filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
                    let inPath = Set(path.matches(of: /\{([a-z0-9_]+)\}/).map { String($0.1) })
                    #expect(declared == inPath, "\(path)")
                }
            }
            let text = String(buffer: response.body)
            for reference in text.matches(of: /#\/components\/schemas\/([A-Za-z]+)/).map({ String($0.1) }) {
                #expect(schemas[reference] != nil, "unresolved schema \(reference)")
            }
        }
    }

    /// The documented request schemas name every field of the contract's example bodies.
    @Test func requestSchemasCoverTheContractsFields() throws {
        let bodies: [(String, [String: Any])] = [
            ("PatientSignup", TestAccounts.patient(1)), ("DoctorSignup", TestAccounts.doctor(1, hospitalCode: "HC-B2631D")),
            ("HospitalSignup", TestNode.hospitalSignup), ("DocAssistRegister", DocAssistAuthTests.register),
            ("HospitalResources", HospitalResourcesRoutesTests.resources),
        ]
        for (name, body) in bodies {
            let schema = try #require(APISchemas.components.first { $0.0 == name }?.1)
            guard case .object(let properties, let required) = schema else { Issue.record("\(name) is not an object"); continue }
            let documented = Set(properties.map(\.0))
            #expect(Set(body.keys).subtracting(documented).isEmpty, "\(name) lacks \(Set(body.keys).subtracting(documented))")
            #expect(Set(required).isSubset(of: documented))
        }
    }

    @Test func theDocsPageListsEveryEndpointAndNeedsNoInternet() async throws {
        try await TestNode.withNode(role: .hub) { node, client in
            let response = try await client.get("/docs")
            #expect(response.status == .ok && response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            for endpoint in node.catalog.endpoints {
                #expect(html.contains("<code>\(endpoint.path.replacingOccurrences(of: "&", with: "&amp;"))</code>"), "\(endpoint.path)")
            }
            #expect(html.contains("aadhar_number") && html.contains("Roles: SYSTEM_ADMIN."))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "self-contained: nothing fetched")
        }
    }
}

@Suite struct CORSTests {
    @Test func onlyAllowListedOriginsGetCORSHeaders() async throws {
        try await TestNode.withRouter(demo: true, configure: { $0.corsOrigins = ["https://clinic-app.example"] }) { client in
            let allowed: HTTPFields = [.origin: "https://clinic-app.example", .accessControlRequestMethod: "POST"]
            let preflight = try await client.execute(uri: "/api/v1/auth/login", method: .options, headers: allowed)
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://clinic-app.example")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(preflight.headers[.accessControlAllowCredentials] == nil)

            let fromApp = try await client.get("/health", headers: [.origin: "https://clinic-app.example"])
            #expect(fromApp.headers[.accessControlAllowOrigin] == "https://clinic-app.example" && fromApp.headers[.vary] == "Origin")
            #expect(fromApp.headers[.accessControlExposeHeaders] == "Retry-After, X-Request-Id")
            let error = try await client.get("/api/v1/auth/me", headers: [.origin: "https://clinic-app.example"])
            #expect(error.status == .unauthorized && error.headers[.accessControlAllowOrigin] == "https://clinic-app.example")

            let stranger = try await client.get("/health", headers: [.origin: "https://evil.example"])
            #expect(stranger.status == .ok && stranger.headers[.accessControlAllowOrigin] == nil && stranger.headers[.vary] == "Origin")
            let strangerPreflight = try await client.execute(
                uri: "/api/v1/auth/login", method: .options, headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"]
            )
            #expect(strangerPreflight.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func byDefaultNoOriginIsAllowed() async throws {
        try await TestNode.withRouter { client in
            let response = try await client.get("/health", headers: [.origin: "http://192.168.1.20:3000"])
            #expect(response.status == .ok && response.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func configuredOriginsMustBeExactOrigins() throws {
        #expect(try CORSPolicy.origin("HTTPS://Clinic-App.example:8443") == "https://clinic-app.example:8443")
        for bad in ["*", "clinic-app.example", "https://clinic-app.example/path", "ftp://x.example", "https://"] {
            #expect(throws: (any Error).self) { try CORSPolicy.origin(bad) }
        }
        let policy = CORSPolicy(allowedOrigins: ["https://a.example"])
        #expect(policy.allowedOrigin("https://A.example") == "https://A.example")
        #expect(policy.allowedOrigin("https://b.example") == nil && policy.allowedOrigin(nil) == nil && policy.allowedOrigin("null") == nil)
    }
}
