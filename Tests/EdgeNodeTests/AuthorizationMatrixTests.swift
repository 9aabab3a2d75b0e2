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

    /// What a caller gets: through the gate and the object check (any status but 401/403/404),
    /// refused (401, 403), or not shown the object at all (404).
    enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case allowed
        case refused(Int)
        case hidden

        var description: String {
            switch self {
            case .allowed: "allowed"
            case .refused(let status): "\(status)"
            case .hidden: "404"
            }
        }
    }

    /// A route's row: the outcome per caller when the path names the caller's own objects (their
    /// patient record, doctor profile, hospital, consent) and when it names someone else's.
    struct Rule: Sendable {
        let own: [Caller: Outcome]
        let other: [Caller: Outcome]

        init(own: [Caller: Outcome], other: [Caller: Outcome]) {
            self.own = own
            self.other = other
        }

        /// A route naming no object, or one every caller may see alike.
        init(_ both: [Caller: Outcome]) {
            self.init(own: both, other: both)
        }
    }

    static let open = Rule(everyone(.allowed))
    static let signedIn = Rule(everyone(.allowed, anonymous: .refused(401)))
    static let deployment = Rule(everyone(.refused(401)))

    /// Anonymous → 401; `callers` allowed; `hidden` → 404; everyone else → 403.
    static func only(_ callers: Set<Caller>, hidden: Set<Caller> = []) -> [Caller: Outcome] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { caller in
            (caller, caller == .anonymous ? .refused(401) : callers.contains(caller) ? .allowed : hidden.contains(caller) ? .hidden : .refused(403))
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
        "GET /api/v1/hospitals/{hospital_id}/resources": signedIn,
        "PUT /api/v1/hospitals/{hospital_id}/resources": Rule(own: only([.hospitalAdmin]), other: only([])),
        "GET /api/v1/patients/{patient_id}/access-log": Rule(own: only([.patient, .systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/hospitals/{hospital_id}/audit-log": Rule(own: only([.hospitalAdmin, .systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/audit-logs": Rule(only([.systemAdmin])),
        "GET /api/v1/hub/facilities": Rule(only([.systemAdmin])),
        "GET /api/v1/patients/{patient_id}/profile": Rule(own: only([.patient, .doctor]), other: only([])),
        "POST /api/v1/patients/{patient_id}/profile": Rule(own: only([.patient]), other: only([])),
        "POST /api/v1/consents/request": Rule(only([.doctor])),
        "GET /api/v1/consents/patient/{patient_id}": Rule(own: only([.patient, .doctor]), other: only([.doctor])),
        "PATCH /api/v1/consents/{consent_id}": Rule(own: only([.patient]), other: only([], hidden: [.patient])),
        "GET /api/v1/consents/{consent_id}/can-revoke": Rule(own: only([.patient, .doctor]), other: only([], hidden: [.patient, .doctor])),
        "DELETE /api/v1/consents/{consent_id}": Rule(own: only([.patient]), other: only([], hidden: [.patient])),
        "DELETE /api/v1/consents/cleanup/all": Rule(only([.systemAdmin])),
        "GET /api/v1/doctors/{doctor_id}/profile": signedIn,
        "POST /api/v1/doctors/{doctor_id}/profile": Rule(own: only([.doctor]), other: only([])),
        "GET /api/v1/doctors/{doctor_id}/patients": Rule(own: only([.doctor]), other: only([])),
        "DELETE /api/v1/doctors/{doctor_id}/patients/{patient_id}": Rule(own: only([.doctor]), other: only([])),
        "GET /api/v1/hospitals/{hospital_id}/profile": signedIn, "GET /api/v1/hospitals/{hospital_id}/doctors": signedIn,
        "POST /api/v1/hospitals/{hospital_id}/admit": Rule(own: only([.hospitalAdmin, .doctor]), other: only([])),
        // Nobody is admitted in the cast: callers let through find no admission (404).
        "POST /api/v1/hospitals/{hospital_id}/patients/{patient_id}/discharge": Rule(own: only([], hidden: [.hospitalAdmin, .doctor]), other: only([])),
        "GET /api/v1/hospitals/{hospital_id}/patients": Rule(own: only([.hospitalAdmin, .doctor]), other: only([])),
        "GET /api/v1/hospitals/{hospital_id}/dashboard": Rule(own: only([.hospitalAdmin, .doctor, .systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/doctors/{doctor_id}/hospitals": signedIn,
        "POST /api/v1/doctors/{doctor_id}/hospitals": Rule(own: only([.doctor]), other: only([])),
        "POST /api/v1/patients/{patient_id}/break-glass": Rule(only([.doctor])),
        "GET /api/v1/hospitals/{hospital_id}/break-glass": Rule(own: only([.hospitalAdmin, .systemAdmin]), other: only([.systemAdmin])),
        "GET /api/v1/doctors/{doctor_id}/notifications": Rule(own: only([.doctor]), other: only([])),
        "GET /api/v1/patients/{patient_id}/notifications": Rule(own: only([.patient]), other: only([])),
        // A doctor with the patient's consent may ask; the other patient's UID is nobody's here but theirs.
        "POST /api/v1/patients/lookup-records": Rule(only([.patient, .doctor])),
        "GET /api/v1/hospitals/{hospital_id}/doctors/pending": Rule(own: only([.hospitalAdmin]), other: only([])),
        "POST /api/v1/hospitals/{hospital_id}/doctors/{doctor_id}/approve": Rule(own: only([.hospitalAdmin]), other: only([])),
        "GET /api/v1/break-glass": Rule(only([.systemAdmin])),
        // Documents: `{id}` is the patient (list, download) or the document (delete); the own/other
        // patient is named; the download and delete find no such document (404) for callers let through.
        "POST /api/v1/documents/upload": Rule(only([.patient, .doctor])),
        "GET /api/v1/documents/{id}": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/documents/{id}/{record_id}/content": Rule(own: only([], hidden: [.patient, .doctor]), other: only([])),
        "DELETE /api/v1/documents/{id}": Rule(only([], hidden: [.patient, .doctor])),
        "GET /api/v1/patients/{patient_id}/complete": Rule(own: only([.patient, .doctor]), other: only([])),
        // Wearables name the patient in the body or the query (see `patientInBody`, `patientInQuery`);
        // imports go to the caller's own record.
        "POST /api/v1/wearables/sync": Rule(own: only([.patient]), other: only([])),
        "POST /api/v1/wearables/import/apple-health": Rule(only([.patient])),
        "POST /api/v1/wearables/import/apple-health/batch": Rule(only([.patient])),
        "POST /api/v1/wearables/import/apple-health/export": Rule(own: only([.patient]), other: only([])),
        "GET /api/v1/wearables/devices": Rule(own: only([.patient, .doctor]), other: only([])),
        "POST /api/v1/wearables/devices": Rule(own: only([.patient]), other: only([])),
        "POST /api/v1/wearables/devices/pair": Rule(only([.patient])),
        "GET /api/v1/wearables/devices/paired": Rule(own: only([.patient, .doctor]), other: only([])),
        // No pairing exists in the cast: the patient, let through, finds none (404).
        "DELETE /api/v1/wearables/devices/unpair/{pairing_id}": Rule(only([], hidden: [.patient])),
        "GET /api/v1/wearables/metrics/comprehensive": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/wearables/summary/today": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/wearables/metrics/recent": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/wearables/metrics/aggregated": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/wearables/metrics/by-type": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/wearables/metrics/sleep-trends": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /api/v1/wearables/metrics/heart-rate-trends": Rule(own: only([.patient, .doctor]), other: only([])),
        "GET /replication/v1/changes": deployment, "POST /replication/v1/changes": deployment,
        "GET /replication/v1/digest": deployment, "GET /replication/v1/blobs/{sha256}": deployment,
        "HEAD /replication/v1/blobs/{sha256}": deployment, "PUT /replication/v1/blobs/{sha256}": deployment, "GET /replication/v1/status": deployment,
        "POST /admin/v1/system-admins": deployment,
        // DocAssist backups, at the root and under /api/v1: every account has its own; the cast has
        // none, so the newest and a download are 404 for everyone signed in (another's is 404 too).
        "POST /backup/upload": signedIn, "POST /api/v1/backup/upload": signedIn,
        "GET /backup/list": signedIn, "GET /api/v1/backup/list": signedIn,
        "GET /backup/sync/status": signedIn, "GET /api/v1/backup/sync/status": signedIn,
        "GET /backup/latest": noneOwn, "GET /api/v1/backup/latest": noneOwn,
        "GET /backup/download/{backup_id}": noneOwn, "GET /api/v1/backup/download/{backup_id}": noneOwn,
        "DELETE /backup/{backup_id}": noneOwn, "DELETE /api/v1/backup/{backup_id}": noneOwn,
    ]

    static let noneOwn = Rule(everyone(.hidden, anonymous: .refused(401)))

    /// Routes naming their patient in the query (`patient_id`) rather than the path.
    static let patientInQuery: Set<String> = [
        "POST /api/v1/wearables/import/apple-health/export",
        "GET /api/v1/wearables/devices", "GET /api/v1/wearables/devices/paired", "GET /api/v1/wearables/metrics/comprehensive", "GET /api/v1/wearables/summary/today",
        "GET /api/v1/wearables/metrics/recent", "GET /api/v1/wearables/metrics/aggregated", "GET /api/v1/wearables/metrics/by-type",
        "GET /api/v1/wearables/metrics/sleep-trends", "GET /api/v1/wearables/metrics/heart-rate-trends",
    ]

    /// Routes naming their patient in the JSON body: the rest of a valid body (`patient_id` is added).
    nonisolated(unsafe) static let patientInBody: [String: [String: Any]] = [
        "POST /api/v1/wearables/sync": ["metrics": [] as [Any]],
        "POST /api/v1/wearables/devices": ["name": "Watch", "type": "apple_watch", "device_id": "watch-1"],
    ]

    @Test(arguments: [NodeSettings.Role.hub, .node])
    func everyRouteHasARow(role: NodeSettings.Role) async throws {
        try await TestNode.withNode(demo: true, role: role) { node, _ in
            let routes = node.routes.map { "\($0.method) \($0.path)" }
            #expect(routes.filter { Self.matrix[$0] == nil }.isEmpty, "routes with no authorization row: \(routes.filter { Self.matrix[$0] == nil })")
            if role == .hub {
                #expect(Set(routes) == Set(Self.matrix.keys), "rows for routes that do not exist: \(Set(Self.matrix.keys).subtracting(routes))")
            }
        }
    }

    /// Each route on a node of its own (calls may change what later calls see).
    @Test(arguments: matrix.keys.sorted())
    func everyRowHolds(route: String) async throws {
        let rule = try #require(Self.matrix[route])
        let parts = route.split(separator: " ", maxSplits: 1)
        let method = HTTPRequest.Method(String(parts[0]))!
        try await TestNode.withNode(demo: true, role: .hub) { _, client in
            let cast = try await TestAccounts.Cast.make(client)
            let tokens: [Caller: String] = [
                .patient: cast.patient.token, .doctor: cast.doctor.token, .hospitalAdmin: cast.hospitalAdmin.token, .systemAdmin: cast.systemAdmin,
            ]
            var failures: [String] = []
            for (whose, expectations) in [("own", rule.own), ("other", rule.other)] {
                let own = whose == "own"
                let patient = own ? cast.patient.id : cast.otherPatient.id
                var body: [String: Any] = [:]
                if let rest = Self.patientInBody[route] { body = rest.merging(["patient_id": patient]) { $1 } }
                let path = String(parts[1])
                    .replacingOccurrences(of: "{patient_id}", with: own ? cast.patient.id : cast.otherPatient.id)
                    .replacingOccurrences(of: "{hospital_id}", with: own ? cast.hospitalAdmin.hospital : cast.otherHospital)
                    .replacingOccurrences(of: "{doctor_id}", with: own ? cast.doctor.id : cast.otherDoctor.id)
                    .replacingOccurrences(of: "{consent_id}", with: own ? cast.consent : cast.otherConsent)
                    .replacingOccurrences(of: "{id}", with: own ? cast.patient.id : cast.otherPatient.id)
                    .replacingOccurrences(of: "{record_id}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{pairing_id}", with: UUID().uuidString)
                    + (Self.patientInQuery.contains(route) ? "?patient_id=\(patient)" : "")
                for caller in Caller.allCases {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let token = tokens[caller] { headers[.authorization] = "Bearer \(token)" }
                    let response = try await client.execute(uri: path, method: method, headers: headers, body: method == .get ? nil : json(body))
                    let got: Outcome = switch response.status.code {
                    case 401, 403: .refused(response.status.code)
                    case 404: .hidden
                    default: .allowed
                    }
                    let expected = try #require(expectations[caller])
                    if got != expected || response.status.code >= 500 {
                        failures.append("\(route) \(whose) as \(caller): expected \(expected), got \(response.status.code) \(String(buffer: response.body).prefix(160))")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }
}
