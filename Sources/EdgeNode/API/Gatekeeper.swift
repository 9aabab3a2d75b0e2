import Domain
import Hummingbird

/// The one place an endpoint's access rule is enforced before its handler runs: it reads the
/// bearer token, checks it, loads the account it names (unknown or deactivated accounts are
/// refused even with a valid token), and checks the role.
struct Gatekeeper: Sendable {
    let tokens: TokenService
    let accounts: AccountRepository
    let principals: PrincipalCache

    /// The caller, for endpoints that need one; `nil` for open and deployment endpoints.
    func admit(_ request: Request, to access: EndpointAccess) async throws -> Principal? {
        guard case .roles(let roles) = access else { return nil }
        guard let header = request.headers[.authorization], header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized("Not authenticated: send an access token as 'Authorization: Bearer <token>'")
        }
        var token = header.dropFirst(7)
        while token.first == " " { token = token.dropFirst() }
        while token.last == " " { token = token.dropLast() }
        let claimed = try await tokens.principal(fromAccessToken: String(token))
        guard let principal = try await principals.principal(claimed.userID, load: accounts.principal(userID:)) else {
            throw APIError.unauthorized("This account is unknown here or deactivated", code: "invalid_token")
        }
        guard roles.contains(principal.role) else {
            let allowed = UserRole.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
            throw APIError.forbidden("This endpoint is for \(allowed) accounts")
        }
        return principal
    }
}
