import HTTPTypes
import Hummingbird

/// Registers routes the only way the node does: each with its `Endpoint` declaration, which is
/// recorded in the catalog and enforced before the handler runs — roles by the gatekeeper,
/// deployment access by the group's guard (mutual TLS or the deployment token).
struct RouteRegistrar {
    let group: RouterGroup<EdgeRequestContext>
    /// The group's path prefix as the catalog writes it (`/api/v1`, or empty at the root).
    let prefix: String
    let catalog: APICatalog
    /// `nil` on a router of deployment endpoints only (the mutual-TLS replication server).
    let gatekeeper: Gatekeeper?
    /// Whether this group is behind the deployment's guard: deployment endpoints go here and
    /// nowhere else.
    let isDeploymentGroup: Bool

    /// A registrar at the router's root; without a gatekeeper it takes only open and deployment
    /// endpoints.
    init(router: Router<EdgeRequestContext>, catalog: APICatalog = APICatalog(), gatekeeper: Gatekeeper?) {
        self.init(group: router.group(), prefix: "", catalog: catalog, gatekeeper: gatekeeper, isDeploymentGroup: false)
    }

    private init(group: RouterGroup<EdgeRequestContext>, prefix: String, catalog: APICatalog, gatekeeper: Gatekeeper?, isDeploymentGroup: Bool) {
        self.group = group
        self.prefix = prefix
        self.catalog = catalog
        self.gatekeeper = gatekeeper
        self.isDeploymentGroup = isDeploymentGroup
    }

    /// The same registrar for routes under `path` (`/api/v1`), or with `middleware` in front.
    func group(_ path: String = "", middleware: (any MiddlewareProtocol<Request, Response, EdgeRequestContext>)? = nil) -> RouteRegistrar {
        subgroup(path, middleware: middleware, deployment: isDeploymentGroup)
    }

    /// A group of the deployment's own endpoints (replication, operator commands): on the API port
    /// of a node without TLS, behind the deployment token; on the mutual-TLS replication port as
    /// they are (`token` nil), since its handshake admits only this deployment's nodes.
    func deploymentGroup(_ path: String, token: String?) -> RouteRegistrar {
        precondition(token != nil || gatekeeper == nil, "deployment endpoints on the API port need the deployment token")
        return subgroup(path, middleware: token.map { ReplicationAuthMiddleware(expectedToken: $0) }, deployment: true)
    }

    private func subgroup(
        _ path: String, middleware: (any MiddlewareProtocol<Request, Response, EdgeRequestContext>)?, deployment: Bool
    ) -> RouteRegistrar {
        var inner = group.group(RouterPath(path))
        if let middleware { inner = inner.add(middleware: middleware) }
        return RouteRegistrar(
            group: inner, prefix: prefix + (path.isEmpty ? "" : "/" + path), catalog: catalog, gatekeeper: gatekeeper,
            isDeploymentGroup: deployment
        )
    }

    /// Declares and registers one route. `path` is relative to the group, parameters in braces.
    /// A declaration the group cannot enforce stops the node at start-up, never at a request.
    func add(
        _ method: HTTPRequest.Method, _ path: String, _ tag: String, _ summary: String, access: EndpointAccess,
        documented: (inout Endpoint) -> Void = { _ in },
        use handler: @escaping @Sendable (Request, EdgeRequestContext) async throws -> some ResponseGenerator
    ) {
        var endpoint = Endpoint(method: method, path: prefix + "/" + path, tag: tag, summary: summary, access: access)
        documented(&endpoint)
        precondition((access == .deployment) == isDeploymentGroup, "\(endpoint.path): deployment endpoints belong in a deployment group, and only they")
        catalog.add(endpoint)
        guard let gatekeeper else {
            if case .roles = access { preconditionFailure("\(endpoint.path) needs a signed-in caller but this router has no gatekeeper") }
            group.on(RouterPath(path), method: method, use: handler)
            return
        }
        group.on(RouterPath(path), method: method) { request, context in
            var context = context
            context.principal = try await gatekeeper.admit(request, to: access)
            return try await handler(request, context)
        }
    }
}
