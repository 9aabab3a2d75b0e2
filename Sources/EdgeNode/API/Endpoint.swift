import Domain
import HTTPTypes

/// Who may reach an endpoint at all; object-level rules (`AccessPolicy`) come after, in the handler.
enum EndpointAccess: Sendable, Equatable {
    /// No credentials (sign-up, login, health, documentation).
    case anyone
    /// A valid access token of an active account holding one of these roles.
    case roles(Set<UserRole>)
    /// The deployment's own traffic (replication, operator commands): mutual TLS, or the deployment
    /// token on a node without TLS.
    case deployment

    /// Any signed-in account.
    static let signedIn = roles(Set(UserRole.allCases))
}

/// One endpoint as the catalog knows it: how it is reached, who may reach it, and what the
/// OpenAPI document says about it. Registering a route means declaring one of these.
struct Endpoint: Sendable {
    /// A query parameter, as documented.
    struct Query: Sendable {
        let name: String
        let description: String
        var schema: JSONSchema = .string
        var required = false
    }

    let method: HTTPRequest.Method
    /// The full path, parameters in braces: `/api/v1/hospitals/{hospital_id}/resources`.
    let path: String
    let tag: String
    let summary: String
    let access: EndpointAccess
    var query: [Query] = []
    /// The JSON request body, if any.
    var body: JSONSchema?
    /// The status and JSON body of success.
    var success: (status: Int, body: JSONSchema?) = (200, nil)
    /// Non-JSON success content (`text/html`, …).
    var contentType: String?
    /// Error answers particular to this endpoint (409 duplicate, 429 rate-limited, …), besides
    /// those every endpoint of its kind has.
    var errors: [(status: Int, description: String)] = []

    /// The names of the path's parameters, in order.
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }
}
