import Domain
import Hummingbird

/// `/admin/v1`: operator commands `edgectl` sends, served with the replication endpoints (mutual
/// TLS, or the deployment token on nodes without TLS) — never on the public API.
struct AdminRoutes {
    let accounts: AccountRepository
    let hasher: PasswordHasher

    func register(on router: Router<EdgeRequestContext>, deploymentToken: String?) {
        router.deploymentGroup("admin/v1", token: deploymentToken).post("system-admins", use: createSystemAdmin)
    }

    /// `POST system-admins`: a new SYSTEM_ADMIN account (`edgectl user create-admin`); 409 if the
    /// email has an account.
    @Sendable func createSystemAdmin(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AccountPayload> {
        var request = request
        let registration = try SystemAdminRegistration(validating: try await request.decodeJSON(as: SystemAdminForm.self, context: context))
        guard try await accounts.user(email: registration.email) == nil else {
            throw DomainError.conflict("An account with this email already exists")
        }
        let user = try await accounts.createSystemAdmin(registration, passwordHash: await hasher.hash(registration.password))
        context.logger.notice("System administrator created", metadata: ["edge.user.id": "\(user.id)"])
        return EditedResponse(status: .created, response: AccountPayload(user, hospital: nil))
    }
}
