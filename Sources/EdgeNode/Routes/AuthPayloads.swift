import Domain
import Foundation
import Hummingbird

/// The login/sign-up response of every role: tokens and the account.
struct AuthResponse: ResponseEncodable {
    let accessToken: String
    let refreshToken: String
    let tokenType = "bearer"
    let expiresIn = Int(TokenService.accessLifetime)
    let user: AccountPayload
}

/// An account as the API shows it (never the password hash).
struct AccountPayload: ResponseEncodable {
    let id: String
    let email: String
    let role: String
    let isActive: Bool
    let hospitalId: String?
    let hospitalCode: String?
    let createdAt: String

    init(_ user: User, hospital: Hospital?) {
        id = user.id.description
        email = user.email.value
        role = user.role.rawValue
        isActive = user.isActive
        hospitalId = user.hospitalID?.description
        hospitalCode = hospital?.code.value
        createdAt = Timestamps.api(user.createdAt)
    }
}

struct LoginRequest: Decodable {
    let email: String?
    let password: String?
}

struct RefreshRequest: Decodable {
    let refreshToken: String?
}
