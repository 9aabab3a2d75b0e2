import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import EdgeNode

/// Every registered route × every kind of caller × the caller's own and another's object, with the
/// status the one authorization mechanism must give. A route registered without a row here fails
/// the test, so no endpoint ships without its access rule being decided and checked.
@Suite struct AuthorizationMatrixTests {
    enum Caller: String, CaseIterable, Sendable {
        case anonymous, patient, doctor, hospitalAdmin, systemAdmin
    }

    /// What a caller gets: through the gate (any status but 401/403), or refused with this status.
    enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case allowed
        case refused(Int)

        var description: String {
            switch self {
            case .allowed: "allowed"
            case .refused(let status): "\(status)"
            }
        }
    }

    /// The object a route names, if any; "own" is the caller's (their patient record, their
    /// hospital), "other" someone else's.
    enum Object: Sendable {
        case none, patient, hospital
    }

    struct Rule: Sendable {
        let object: Object
        let own: [Caller: Outcome]
        let other: [Caller: Outcome]
    }

    static let open = Rule(object: .none, own: everyone(.allowed), other: everyone(.allowed))
    static let signedIn = Rule(object: .none, own: everyone(.allowed, anonymous: .refused(401)), other: everyone(.allowed, anonymous: .refused(401)))
    static let deployment = Rule(object: .none, own: everyone(.refused(401)), other: everyone(.refused(401)))

    static func only(_ callers: Set<Caller>) -> [Caller: Outcome] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { caller in
            (caller, caller == .anonymous ? .refused(401) : callers.contains(caller) ? .allowed : .refused(403))
        })
    }

    static func everyone(_ outcome: Outcome, anonymous: Outcome? = nil) -> [Caller: Outcome] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, $0 == .anonymous ? anonymous ?? outcome : outcome) })
    }

    static let matrix: [String: Rule] = [
        "GET /health": open, "GET /api/v1/health": open, "GET /openapi.json": open, "GET /docs": open,
        "POST /api/v1/auth/signup/patient": open, "POST /api/v1/auth/signup/doctor": open, "POST /api/v1/auth/signup/hospital": open,
        "POST /api/v1/auth/login": open, "POST /auth/login": open, "POST /api/v1/auth/register": open, "POST /auth/register": open,
        "POST /api/v1/auth/refresh": open, "POST /api/v1/auth/logout": open,
        "GET /api/v1/auth/me": signedIn,
        "GET /api/v1/hospitals": signedIn, "GET /api/v1/hospitals/search": signedIn,
        "GET /api/v1/hospitals/{hospital_id}/resources": Rule(
            object: .hospital, own: everyone(.allowed, anonymous: .refused(401)), other: everyone(.allowed, anonymous: .refused(401))
        ),
        "PUT /api/v1/hospitals/{hospital_id}/resources": Rule(object: .hospital, own: only([.hospitalAdmin]), other: only([])),
        "GET /api/v1/patients/{patient_id}/access-log": Rule(object: .patient, own: only([.patient, .systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/hospitals/{hospital_id}/audit-log": Rule(object: .hospital, own: only([.hospitalAdmin, .systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/audit-logs": Rule(object: .none, own: only([.systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/hub/facilities": Rule(object: .none, own: only([.systemAdmin]), other: only([.systemAdmin])),
        "GET /replication/v1/changes": deployment, "POST /replication/v1/changes": deployment,
        "GET /replication/v1/digest": deployment, "GET /replication/v1/status": deployment,
        "POST /admin/v1/system-admins": deployment,
    ]

    @Test(arguments: [NodeSettings.Role.hub, .node])
    func everyRouteHasARowAndEveryRowHolds(role: NodeSettings.Role) async throws {
        try await TestNode.withNode(demo: true, role: role) { node, client in
            let routes = node.routes.map { "\($0.method) \($0.path)" }
            let missing = routes.filter { Self.matrix[$0] == nil }
            #expect(missing.isEmpty, "routes with no authorization row: \(missing)")
            guard role == .hub else { return }
            #expect(Set(routes) == Set(Self.matrix.keys), "rows for routes that do not exist: \(Set(Self.matrix.keys).subtracting(routes))")

            let cast = try await TestAccounts.Cast.make(client)
            let tokens: [Caller: String] = [
                .patient: cast.patient.token, .doctor: cast.doctor, .hospitalAdmin: cast.hospitalAdmin.token, .systemAdmin: cast.systemAdmin,
            ]
            var failures: [String] = []
            for route in routes.sorted() {
                let rule = try #require(Self.matrix[route])
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(String(parts[0]))!
                for (whose, expectations) in [("own", rule.own), ("other", rule.other)] {
                    let (patient, hospital) = whose == "own"
                        ? (cast.patient.id, cast.hospitalAdmin.hospital) : (cast.otherPatient.id, cast.otherHospital)
                    let path = String(parts[1])
                        .replacingOccurrences(of: "{patient_id}", with: patient).replacingOccurrences(of: "{hospital_id}", with: hospital)
                    for caller in Caller.allCases {
                        var headers: HTTPFields = [.contentType: "application/json"]
                        if let token = tokens[caller] { headers[.authorization] = "Bearer \(token)" }
                        let response = try await client.execute(uri: path, method: method, headers: headers, body: method == .get ? nil : json([:] as [String: String]))
                        let got: Outcome = [401, 403].contains(response.status.code) ? .refused(response.status.code) : .allowed
                        let expected = try #require(expectations[caller])
                        if got != expected || response.status.code >= 500 {
                            failures.append("\(route) \(whose) as \(caller): expected \(expected), got \(response.status.code)")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }
}
