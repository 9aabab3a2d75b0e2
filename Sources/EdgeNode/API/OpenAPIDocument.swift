import Domain

/// The OpenAPI 3.1 document of the node, generated from the endpoint catalog, so what is served
/// and what is documented cannot drift apart.
enum OpenAPIDocument {
    static func json(_ endpoints: [Endpoint], version: String) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for path in endpoints.map(\.path).uniqued() {
            let operations = endpoints.filter { $0.path == path }.map { ($0.method.rawValue.lowercased(), operation($0)) }
            paths.append((path, .object(operations)))
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "CloudCare Edge API",
                "version": .string(version),
                "description": "The CloudCare API served by every edge node, plus the DocAssist backup API at the root. Errors are {\"detail\", \"code\"}.",
            ],
            "servers": [["url": "/"]],
            "tags": .array(endpoints.map(\.tag).uniqued().map { ["name": .string($0)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(APISchemas.components.map { ($0.0, $0.1.json) }),
                "securitySchemes": [
                    "bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
                    "deploymentToken": ["type": "http", "scheme": "bearer", "description": "Nodes without TLS files only (development)."],
                    "mutualTLS": ["type": "mutualTLS", "description": "A node certificate of this deployment's CA, on the replication port."],
                ],
            ],
        ]
    }

    /// Who may call an endpoint, in words (also shown on `/docs`).
    static func audience(_ access: EndpointAccess) -> String {
        switch access {
        case .anyone: "Anyone (no token)."
        case .deployment: "The deployment's nodes and operators only."
        case .roles(let roles) where roles == Set(UserRole.allCases): "Any signed-in account."
        case .roles(let roles): "Roles: " + UserRole.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ") + "."
        }
    }

    private static func operation(_ endpoint: Endpoint) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("tags", [.string(endpoint.tag)]),
            ("summary", .string(endpoint.summary)),
            ("description", .string(audience(endpoint.access))),
            ("operationId", .string(operationID(endpoint))),
        ]
        let parameters: [JSONValue] = endpoint.pathParameters.map {
            ["name": .string($0), "in": "path", "required": .bool(true), "schema": JSONSchema.string.json]
        } + endpoint.query.map {
            ["name": .string($0.name), "in": "query", "required": .bool($0.required), "description": .string($0.description), "schema": $0.schema.json]
        }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let body = endpoint.body {
            members.append(("requestBody", ["required": .bool(true), "content": ["application/json": ["schema": body.json]]]))
        }
        switch endpoint.access {
        case .anyone: members.append(("security", []))
        case .roles: members.append(("security", [["bearerAuth": []]]))
        case .deployment: members.append(("security", [["mutualTLS": []], ["deploymentToken": []]]))
        }
        members.append(("responses", .object(responses(endpoint))))
        return .object(members)
    }

    private static func responses(_ endpoint: Endpoint) -> [(String, JSONValue)] {
        let content: JSONValue = switch (endpoint.contentType, endpoint.success.body) {
        case (let type?, _): [type: ["schema": JSONSchema.string.json]]
        case (nil, let schema?): ["application/json": ["schema": schema.json]]
        case (nil, nil): ["application/json": ["schema": JSONSchema.any.json]]
        }
        var responses: [(String, JSONValue)] = [
            endpoint.success.status == 204
                ? ("204", ["description": "Done; no content"])
                : (String(endpoint.success.status), ["description": "Success", "content": content]),
        ]
        func error(_ status: Int, _ description: String) {
            responses.append((String(status), [
                "description": .string(description),
                "content": ["application/json": ["schema": APISchemas.named("Error").json]],
            ]))
        }
        if endpoint.body != nil {
            error(400, "Empty or malformed JSON body")
            error(413, "Body over the size limit")
            error(422, "Invalid fields (listed in `fields`)")
        }
        if endpoint.access != .anyone { error(401, "Missing or invalid credentials") }
        if case .roles = endpoint.access { error(403, "Not allowed for this account or object") }
        if !endpoint.pathParameters.isEmpty { error(404, "No such object") }
        for (status, description) in endpoint.errors { error(status, description) }
        return responses.sorted { $0.0 < $1.0 }
    }

    private static func operationID(_ endpoint: Endpoint) -> String {
        let words = endpoint.path.split(separator: "/").map { $0.filter { $0.isLetter || $0.isNumber || $0 == "_" } }
        return ([endpoint.method.rawValue.lowercased()] + words).joined(separator: "_")
    }
}
