import Domain
import Hummingbird
import Replication

/// `/auth`: sign-up, login, token refresh and the current account.
struct AuthRoutes {
    let accounts: AccountRepository
    let directory: HospitalDirectory
    let tokens: TokenService
    let hasher: PasswordHasher

    func register(on group: RouterGroup<EdgeRequestContext>, authenticated: RouterGroup<EdgeRequestContext>) {
        group.post("auth/signup/hospital", use: signUpHospital)
        group.post("auth/login", use: login)
        group.post("auth/refresh", use: refresh)
        authenticated.get("auth/me", use: me)
    }

    @Sendable func signUpHospital(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AuthResponse> {
        var request = request
        let registration = try HospitalRegistration(validating: try await request.decodeJSON(as: HospitalRegistrationForm.self, context: context))
        // Checked again inside the write; checking first spares a bcrypt hash for a known email.
        guard try await accounts.user(email: registration.email) == nil else {
            throw DomainError.conflict("An account with this email already exists")
        }
        let (user, hospital) = try await accounts.registerHospital(registration, passwordHash: await hasher.hash(registration.password))
        context.logger.info("Hospital signed up", metadata: ["edge.hospital.id": "\(hospital.id)", "edge.hospital.code": "\(hospital.code)"])
        return EditedResponse(status: .created, response: try await respond(user, hospital: hospital))
    }

    @Sendable func login(_ request: Request, context: EdgeRequestContext) async throws -> AuthResponse {
        var request = request
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        var check = Validator()
        let email = check.email("email", body.email)
        let password = check.text("password", body.password, maxLength: 1024)
        try check.check()
        let invalid = APIError.unauthorized("Incorrect email or password", code: "invalid_credentials")
        guard let user = try await accounts.user(email: email!) else {
            await hasher.verifyNothing(password)
            throw invalid
        }
        guard await hasher.verify(password, against: user.passwordHash) else { throw invalid }
        guard user.isActive else { throw APIError.forbidden("This account is deactivated") }
        return try await respond(user, hospital: try await hospital(of: user))
    }

    @Sendable func refresh(_ request: Request, context: EdgeRequestContext) async throws -> AuthResponse {
        var request = request
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        var check = Validator()
        let token = check.text("refresh_token", body.refreshToken, maxLength: 512)
        try check.check()
        let (pair, user) = try await tokens.rotate(token) { try await accounts.user(id: $0) }
        return AuthResponse(
            accessToken: pair.accessToken, refreshToken: pair.refreshToken,
            user: AccountPayload(user, hospital: try await hospital(of: user))
        )
    }

    @Sendable func me(_ request: Request, context: EdgeRequestContext) async throws -> AccountPayload {
        let principal = try context.requirePrincipal()
        guard let user = try await accounts.user(id: principal.userID), user.isActive else {
            throw APIError.unauthorized("This account is unknown or deactivated", code: "invalid_token")
        }
        return AccountPayload(user, hospital: try await hospital(of: user))
    }

    private func respond(_ user: User, hospital: Hospital?) async throws -> AuthResponse {
        let pair = try await tokens.issue(for: user)
        return AuthResponse(accessToken: pair.accessToken, refreshToken: pair.refreshToken, user: AccountPayload(user, hospital: hospital))
    }

    private func hospital(of user: User) async throws -> Hospital? {
        guard let id = user.hospitalID else { return nil }
        return try await directory.hospital(id: id)
    }
}
