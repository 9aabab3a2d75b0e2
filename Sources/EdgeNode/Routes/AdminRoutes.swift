import Domain
import Hummingbird
import Replication

/// `/admin/v1`: operator commands `edgectl` sends to the hub, served with its replication
/// endpoints — never on the public API. Over mutual TLS only the hub's own certificate (the
/// operator holds the hub's bundle) is accepted, not a hospital node's; without TLS
/// (development), the deployment token.
struct AdminRoutes {
    let accounts: AccountRepository
    let hasher: PasswordHasher
    /// The hub's mutual-TLS setup, when it has one.
    var tls: MutualTLS? = nil

    func register(on root: RouteRegistrar, deploymentToken: String?) {
        root.deploymentGroup("admin/v1", token: deploymentToken).add(
            .post, "system-admins", "Operations", "Create a SYSTEM_ADMIN account (edgectl user create-admin; the hub only)",
            access: .deployment, documented: { $0.body = APISchemas.named("SystemAdmin"); $0.success = (201, APISchemas.named("Account")) },
            use: createSystemAdmin
        )
    }

    /// `POST system-admins`: a new SYSTEM_ADMIN account (`edgectl user create-admin`); 409 if the
    /// email has an account.
    @Sendable func createSystemAdmin(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AccountPayload> {
        if let tls, try await context.peerIdentity(tls)?.nodeID != tls.identity.nodeID {
            throw APIError.forbidden("System administrators are created with the hub's own bundle (edgectl --config bundle-hub/config.json)")
        }
        var request = request
        let registration = try SystemAdminRegistration(validating: try await request.decodeJSON(as: SystemAdminForm.self, context: context))
        guard try await accounts.user(email: registration.email) == nil else {
            throw DomainError.conflict("An account with this email already exists")
        }
        let user = try await accounts.createSystemAdmin(
            registration, passwordHash: await hasher.hash(registration.password), clientAddress: context.remoteAddress
        )
        context.logger.notice("System administrator created", metadata: ["edge.user.id": "\(user.id)"])
        return EditedResponse(status: .created, response: AccountPayload(user))
    }
}
