import Hummingbird

extension Router where Context == EdgeRequestContext {
    /// A group of the deployment's own endpoints (replication, operator commands): on the API port
    /// of a node without TLS, behind the deployment token; on the mutual-TLS replication port as
    /// they are, since its handshake admits only this deployment's nodes.
    func deploymentGroup(_ path: RouterPath, token: String?) -> RouterGroup<EdgeRequestContext> {
        let group = self.group(path)
        return token.map { group.add(middleware: ReplicationAuthMiddleware(expectedToken: $0)) } ?? group
    }
}
