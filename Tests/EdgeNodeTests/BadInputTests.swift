import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import PropertyBased
import Testing
@testable import EdgeNode

/// Seeded random bad input — malformed JSON, wrong types, huge strings, deep nesting, unicode,
/// SQL-looking strings, odd path parameters and queries — against every registered route, as
/// every kind of caller. Every answer must be a clear JSON error below 500 (or a success that
/// ignored the noise), and nothing may be written.
@Suite struct BadInputTests {
    static let seed: UInt64 = 0x5EED_4BAD
    static let casesPerRoute = 24

    static let nastyStrings = [
        "' OR 1=1 --", "'; DROP TABLE users; --", "\" OR \"\"=\"", "患者 記録", "🩺💉🧬", "\u{0000}", "\u{202E}gnp.exe", "../../etc/passwd",
        "<script>alert(1)</script>", "%00", "NaN", "-1", "99999999999999999999999", "", " ", String(repeating: "A", count: 10_000),
        "HC-B2631D", "00000000-0000-0000-0000-000000000000", "2026-02-30", "1e400",
    ]

    static func randomJSON(_ random: inout Xoshiro, depth: Int = 0) -> Any {
        switch Int.random(in: 0..<(depth > 2 ? 5 : 8), using: &random) {
        case 0: return nastyStrings.randomElement(using: &random)!
        case 1: return Int.random(in: Int.min...Int.max, using: &random)
        case 2: return Double.random(in: -1e300...1e300, using: &random)
        case 3: return Bool.random(using: &random)
        case 4: return NSNull()
        case 5: return (0..<Int.random(in: 0...4, using: &random)).map { _ in randomJSON(&random, depth: depth + 1) }
        default:
            let keys = ["email", "password", "aadhar_number", "name", "first_name", "date_of_birth", "gender", "hospital_code",
                        "refresh_token", "total_beds", "available_beds", "qualifications", "facility_type", "license_number", "phone_primary"]
            var object: [String: Any] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                object[keys.randomElement(using: &random)!] = randomJSON(&random, depth: depth + 1)
            }
            return object
        }
    }

    static func randomBody(_ random: inout Xoshiro) -> ByteBuffer? {
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return nil
        case 1: return ByteBuffer(string: ["{", "{\"email\": ", "[1, 2", "nul", "{\"a\":1}}", "\u{FEFF}{}", "{'email': 'x'}"].randomElement(using: &random)!)
        case 2: return ByteBuffer(string: String(repeating: "[", count: Int.random(in: 1_000...100_000, using: &random)))
        case 3: return ByteBuffer(string: "{\"email\": \"" + String(repeating: "x", count: 2 << 20) + "\"}")
        case 4: return ByteBuffer(bytes: (0..<Int.random(in: 1...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        default:
            let value = randomJSON(&random)
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])) ?? Data("null".utf8)
            return ByteBuffer(bytes: data)
        }
    }

    static func randomQuery(_ random: inout Xoshiro) -> String {
        let keys = ["limit", "before", "query", "since", "wait", "status_filter", "days"]
        let pairs = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            keys.randomElement(using: &random)! + "=" + (nastyStrings.randomElement(using: &random)!.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    @Test func noRouteAnswers500OrLosesDataWhateverItIsSent() async throws {
        try await TestNode.withNode(demo: true, role: .hub) { node, client in
            let cast = try await TestAccounts.Cast.make(client)
            let tokens: [String?] = [nil, cast.patient.token, cast.doctor.token, cast.hospitalAdmin.token, cast.systemAdmin, "not.a.token"]
            let stateBefore = try await Self.replicatedState(client)
            var random = Xoshiro(seed: (Self.seed, 4, 5, 6))
            var failures: [String] = []
            // The demo-only cleanup takes no input to get wrong, and deleting is what it is for.
            for route in node.routes where route.path != "/api/v1/consents/cleanup/all" {
                for _ in 0..<Self.casesPerRoute {
                    var path = "\(route.path)"
                    for parameter in path.matches(of: /\{[a-z0-9_]+\}/) {
                        let value = Bool.random(using: &random) ? UUID().uuidString : Self.nastyStrings.randomElement(using: &random)!
                        path = path.replacingOccurrences(of: String(parameter.output), with: value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x")
                    }
                    path += Self.randomQuery(&random)
                    var headers: HTTPFields = [.contentType: Bool.random(using: &random) ? "application/json" : "text/plain"]
                    if let token = tokens.randomElement(using: &random)! { headers[.authorization] = "Bearer \(token)" }
                    let body = route.method == .get ? nil : Self.randomBody(&random)
                    let response = try await client.execute(uri: path, method: route.method, headers: headers, body: body)
                    let status = response.status.code
                    if status >= 500 {
                        failures.append("\(route.method) \(path.prefix(120)): \(status)")
                    } else if status >= 400 {
                        let error = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                        if (error?["detail"] as? String)?.isEmpty != false || (error?["code"] as? String)?.isEmpty != false {
                            failures.append("\(route.method) \(path.prefix(120)): \(status) without a JSON error")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
            let stateAfter = try await Self.replicatedState(client)
            #expect(stateAfter == stateBefore, "bad input wrote nothing: \(stateAfter.keys.filter { stateAfter[$0] != stateBefore[$0] })")
            #expect(stateBefore.keys.contains("patients") && stateBefore.keys.contains("users"))
            #expect(try await client.post("/api/v1/auth/login", ["email": "hospital1@gmail.com", "password": "passme@123"]).status == .ok)
        }
    }

    /// The replicated state as the digest sees it (rows and hash per table), leaving out the
    /// tables that reads and logins legitimately write: the audit trail and session tokens.
    static func replicatedState(_ client: any TestClientProtocol) async throws -> [String: String] {
        let digest = try object(try await client.get("/replication/v1/digest", headers: HubAndAdminRoutesTests.operatorToken))
        let tables = try #require(digest["tables"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: tables.compactMap { table -> (String, String)? in
            guard let name = table["table"] as? String, !["audit_logs", "refresh_tokens", "revoked_sessions"].contains(name) else { return nil }
            return (name, "\(table["rows"] ?? "") \(table["tombstones"] ?? "") \(table["hash"] ?? "")")
        })
    }

    /// An upload the client breaks off (the parser sees the body end early) is the client's
    /// doing: a 400, not a server fault logged as an error.
    @Test func aRequestBrokenOffIsTheClientsError() {
        let error = APIError(HTTPParserError.invalidEOFState)
        #expect(error.status == .badRequest && error.code == "incomplete_request")
    }
}
