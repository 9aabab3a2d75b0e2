import Hummingbird

extension RouteRegistrar {
    /// A group of the deployment's own endpoints (replication, operator commands): on the API port
    /// of a node without TLS, behind the deployment token; on the mutual-TLS replication port as
    /// they are, since its handshake admits only this deployment's nodes.
    func deploymentGroup(_ path: String, token: String?) -> RouteRegistrar {
        group(path, middleware: token.map { ReplicationAuthMiddleware(expectedToken: $0) })
    }
}
