import Domain
import Hummingbird
import Replication

/// `/auth`: sign-up of every public role, login, token refresh and logout, the current account,
/// and DocAssist's register/login (also served at the root, the desktop app's base URL).
struct AuthRoutes {
    let accounts: AccountRepository
    let patients: PatientRepository
    let doctors: DoctorRepository
    let directory: HospitalDirectory
    let tokens: TokenService
    let hasher: PasswordHasher
    let aadhaar: AadhaarProtector
    let audit: AuditTrail
    let clock: any PhysicalClock

    /// Mounts the routes; `loginLimits` guards every login route.
    func register(root: RouteRegistrar, api: RouteRegistrar, loginLimits: RateLimitMiddleware) {
        let tag = "Authentication"
        let auth = APISchemas.named("AuthResponse")
        api.add(.post, "auth/signup/patient", tag, "Sign up a patient (Aadhaar-verified)", access: .anyone, documented: {
            $0.body = APISchemas.named("PatientSignup"); $0.success = (201, auth)
            $0.errors = [(409, "The email has an account, or the Aadhaar number a patient")]
        }, use: signUpPatient)
        api.add(.post, "auth/signup/doctor", tag, "Sign up a doctor, linked to a hospital by its code", access: .anyone, documented: {
            $0.body = APISchemas.named("DoctorSignup"); $0.success = (201, auth)
            $0.errors = [(409, "The email has an account, or the licence a doctor")]
        }, use: signUpDoctor)
        api.add(.post, "auth/signup/hospital", tag, "Sign up a hospital and its administrator", access: .anyone, documented: {
            $0.body = APISchemas.named("HospitalSignup"); $0.success = (201, auth)
            $0.errors = [(409, "The email has an account")]
        }, use: signUpHospital)
        for (registrar, tag) in [(api, tag), (root, "DocAssist")] {
            registrar.group(middleware: loginLimits).add(.post, "auth/login", tag, "Log in (every role)", access: .anyone, documented: {
                $0.body = APISchemas.named("Login"); $0.success = (200, auth)
                $0.errors = [(401, "Incorrect email or password"), (403, "The account is deactivated"), (429, "Too many attempts (Retry-After)")]
            }, use: login)
            registrar.add(.post, "auth/register", tag, "Register a DocAssist doctor account", access: .anyone, documented: {
                $0.body = APISchemas.named("DocAssistRegister"); $0.success = (201, auth)
                $0.errors = [(400, "Email already registered (code email_registered)"), (409, "The licence is a registered doctor's")]
            }, use: registerDocAssist)
        }
        api.add(.post, "auth/refresh", tag, "Exchange a refresh token for a new pair (rotates it)", access: .anyone, documented: {
            $0.body = APISchemas.named("RefreshToken"); $0.success = (200, auth)
            $0.errors = [(401, "Invalid, expired, revoked or replayed refresh token")]
        }, use: refresh)
        api.add(.post, "auth/logout", tag, "Log out: revoke the refresh token and its whole family", access: .anyone, documented: {
            $0.body = APISchemas.named("RefreshToken"); $0.success = (204, nil)
        }, use: logout)
        api.add(.get, "auth/me", tag, "The current account", access: .signedIn, documented: {
            $0.success = (200, APISchemas.named("Account"))
        }, use: me)
    }

    @Sendable func signUpPatient(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AuthResponse> {
        var request = request
        let form = try await request.decodeJSON(as: PatientRegistrationForm.self, context: context)
        let registration = try PatientRegistration(validating: form, today: CalendarDate(clock.now()))
        try await requireNewEmail(registration.email)
        let (user, patient) = try await patients.register(
            registration, passwordHash: await hasher.hash(registration.password),
            aadhar: (aadhaar.uid(of: registration.aadhaar), try aadhaar.seal(registration.aadhaar)), clientAddress: context.remoteAddress
        )
        context.logger.info("Patient signed up", metadata: ["edge.patient.id": "\(patient.id)"])
        return EditedResponse(status: .created, response: try await respond(user))
    }

    @Sendable func signUpDoctor(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AuthResponse> {
        var request = request
        let registration = try DoctorRegistration(validating: try await request.decodeJSON(as: DoctorRegistrationForm.self, context: context))
        var hospital: Hospital?
        if let code = registration.hospitalCode {
            hospital = try await directory.hospital(code: code)
            if hospital == nil { throw APIError.unprocessable([.init(field: "hospital_code", message: "no hospital has the code \(code)")]) }
        }
        try await requireNewEmail(registration.email)
        let (user, doctor) = try await doctors.register(
            registration, hospital: hospital?.id, passwordHash: await hasher.hash(registration.password), clientAddress: context.remoteAddress
        )
        context.logger.info("Doctor signed up", metadata: ["edge.doctor.id": "\(doctor.id)"])
        return EditedResponse(status: .created, response: try await respond(user))
    }

    @Sendable func signUpHospital(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AuthResponse> {
        var request = request
        let registration = try HospitalRegistration(validating: try await request.decodeJSON(as: HospitalRegistrationForm.self, context: context))
        try await requireNewEmail(registration.email)
        let (user, hospital) = try await accounts.registerHospital(
            registration, passwordHash: await hasher.hash(registration.password), clientAddress: context.remoteAddress
        )
        context.logger.info("Hospital signed up", metadata: ["edge.hospital.id": "\(hospital.id)", "edge.hospital.code": "\(hospital.code)"])
        return EditedResponse(status: .created, response: try await respond(user))
    }

    /// DocAssist's `POST /auth/register`: a duplicate email is its 400 "Email already registered".
    @Sendable func registerDocAssist(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<AuthResponse> {
        var request = request
        let registration = try DocAssistRegistration(validating: try await request.decodeJSON(as: DocAssistRegistrationForm.self, context: context))
        let emailTaken = APIError(status: .badRequest, code: "email_registered", detail: "Email already registered")
        guard try await accounts.user(email: registration.email) == nil else { throw emailTaken }
        let (user, doctor): (User, Doctor)
        do {
            (user, doctor) = try await doctors.register(registration, passwordHash: await hasher.hash(registration.password), clientAddress: context.remoteAddress)
        } catch DomainError.conflict(let detail) {
            // The email may have been taken meanwhile; a licence conflict stays a 409.
            if try await accounts.user(email: registration.email) != nil { throw emailTaken }
            throw APIError.conflict(detail)
        }
        context.logger.info("DocAssist doctor registered", metadata: ["edge.doctor.id": "\(doctor.id)"])
        return EditedResponse(status: .created, response: try await respond(user))
    }

    @Sendable func login(_ request: Request, context: EdgeRequestContext) async throws -> AuthResponse {
        var request = request
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        var check = Validator()
        let email = check.email("email", body.email)
        let password = check.secret("password", body.password, maxLength: 1024)
        try check.check()
        let invalid = APIError.unauthorized("Incorrect email or password", code: "invalid_credentials")
        guard let user = try await accounts.user(email: email!) else {
            await hasher.verifyNothing(password)
            throw invalid
        }
        guard await hasher.verify(password, against: user.passwordHash) else { throw invalid }
        guard user.isActive else { throw APIError.forbidden("This account is deactivated") }
        try await record(.login, user, context)
        return try await respond(user)
    }

    @Sendable func refresh(_ request: Request, context: EdgeRequestContext) async throws -> AuthResponse {
        let (pair, user) = try await tokens.rotate(try await refreshToken(request, context)) { try await accounts.user(id: $0) }
        try await record(.refresh, user, context)
        return AuthResponse(accessToken: pair.accessToken, refreshToken: pair.refreshToken, user: try await account(user))
    }

    /// `POST /auth/logout`: revokes the presented refresh token's family at every replica. Like
    /// token revocation (RFC 7009) it answers 204 whether or not the token was still valid.
    @Sendable func logout(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        if let userID = try await tokens.revoke(try await refreshToken(request, context)), let user = try await accounts.user(id: userID) {
            try await record(.logout, user, context)
        }
        return Response(status: .noContent)
    }

    @Sendable func me(_ request: Request, context: EdgeRequestContext) async throws -> AccountPayload {
        let principal = try context.requirePrincipal()
        guard let user = try await accounts.user(id: principal.userID) else {
            throw APIError.unauthorized("This account is unknown or deactivated", code: "invalid_token")
        }
        if principal.role == .patient {
            try await audit.record(.init(principal, .read, "account", id: user.id.description, clientAddress: context.remoteAddress))
        }
        return try await account(user)
    }

    private func refreshToken(_ request: Request, _ context: EdgeRequestContext) async throws -> String {
        var request = request
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        var check = Validator()
        let token = check.text("refresh_token", body.refreshToken, maxLength: 512)
        try check.check()
        return token
    }

    private func requireNewEmail(_ email: EmailAddress) async throws {
        // Checked again inside the write; checking first spares a bcrypt hash for a known email.
        guard try await accounts.user(email: email) == nil else { throw APIError.conflict("An account with this email already exists") }
    }

    /// Audits a session event of `user` (a patient's appears in their access log).
    private func record(_ action: AuditAction, _ user: User, _ context: EdgeRequestContext) async throws {
        let principal = try await accounts.principal(userID: user.id) ?? Principal(userID: user.id, role: user.role)
        try await audit.record(.init(principal, action, "session", id: user.id.description, clientAddress: context.remoteAddress))
    }

    private func respond(_ user: User) async throws -> AuthResponse {
        let pair = try await tokens.issue(for: user)
        return AuthResponse(accessToken: pair.accessToken, refreshToken: pair.refreshToken, user: try await account(user))
    }

    /// The account with what its role links it to: hospital, patient record or doctor profile.
    private func account(_ user: User) async throws -> AccountPayload {
        switch user.role {
        case .patient:
            return AccountPayload(user, patient: try await patients.patient(userID: user.id))
        case .doctor:
            let doctor = try await doctors.doctor(userID: user.id)
            return AccountPayload(user, hospital: try await doctor?.hospitalID.asyncFlatMap(directory.hospital(id:)), doctor: doctor)
        case .hospitalAdmin, .systemAdmin:
            return AccountPayload(user, hospital: try await user.hospitalID.asyncFlatMap(directory.hospital(id:)))
        }
    }
}
