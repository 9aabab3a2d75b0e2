import HTTPTypes
import Hummingbird
import Replication

/// Guards the replication endpoints of a node without TLS files (development, the demo): only
/// nodes holding the deployment secret may read or push changes. Provisioned nodes serve
/// replication over mutual TLS instead, on their own port.
struct ReplicationAuthMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext
    static let header = HTTPField.Name("X-Deployment-Token")!
    let expectedToken: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = request.headers[Self.header], DeploymentSecret.tokensMatch(presented, expectedToken) else {
            throw APIError.unauthorized("Replication requires this deployment's token", code: "invalid_deployment_token")
        }
        return try await next(request, context)
    }
}
