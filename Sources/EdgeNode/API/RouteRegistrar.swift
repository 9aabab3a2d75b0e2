import HTTPTypes
import Hummingbird

/// Registers routes the only way the node does: each with its `Endpoint` declaration, which is
/// recorded in the catalog and enforced by the gatekeeper before the handler runs.
struct RouteRegistrar {
    let group: RouterGroup<EdgeRequestContext>
    /// The group's path prefix as the catalog writes it (`/api/v1`, or empty at the root).
    let prefix: String
    let catalog: APICatalog
    /// `nil` on a router of deployment endpoints only (the mutual-TLS replication server).
    let gatekeeper: Gatekeeper?

    /// A registrar at the router's root; without a gatekeeper it takes only open and deployment
    /// endpoints.
    init(router: Router<EdgeRequestContext>, catalog: APICatalog = APICatalog(), gatekeeper: Gatekeeper?) {
        self.init(group: router.group(), prefix: "", catalog: catalog, gatekeeper: gatekeeper)
    }

    private init(group: RouterGroup<EdgeRequestContext>, prefix: String, catalog: APICatalog, gatekeeper: Gatekeeper?) {
        self.group = group
        self.prefix = prefix
        self.catalog = catalog
        self.gatekeeper = gatekeeper
    }

    /// The same registrar for routes under `path` (`/api/v1`), or with `middleware` in front.
    func group(_ path: String = "", middleware: (any MiddlewareProtocol<Request, Response, EdgeRequestContext>)? = nil) -> RouteRegistrar {
        var inner = group.group(RouterPath(path))
        if let middleware { inner = inner.add(middleware: middleware) }
        return RouteRegistrar(group: inner, prefix: prefix + (path.isEmpty ? "" : "/" + path), catalog: catalog, gatekeeper: gatekeeper)
    }

    /// Declares and registers one route. `path` is relative to the group, parameters in braces.
    func add(
        _ method: HTTPRequest.Method, _ path: String, _ tag: String, _ summary: String, access: EndpointAccess,
        documented: (inout Endpoint) -> Void = { _ in },
        use handler: @escaping @Sendable (Request, EdgeRequestContext) async throws -> some ResponseGenerator
    ) {
        var endpoint = Endpoint(method: method, path: prefix + "/" + path, tag: tag, summary: summary, access: access)
        documented(&endpoint)
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
