import Domain
import Foundation
import Hummingbird

/// The login/sign-up response of every role — one shape, a superset of the CloudCare contract's
/// (tokens + user) and DocAssist's (`expires_in`, user with `name`).
struct AuthResponse: ResponseEncodable {
    let accessToken: String
    let refreshToken: String
    let tokenType = "bearer"
    let expiresIn = Int(TokenService.accessLifetime)
    let user: AccountPayload
}

/// An account as the API shows it: never the password hash, never the Aadhaar number (only its UID).
struct AccountPayload: ResponseEncodable {
    let id: String
    let email: String
    let role: String
    let isActive: Bool
    let name: String?
    let hospitalId: String?
    let hospitalCode: String?
    let patientId: String?
    let aadharUid: String?
    let doctorId: String?
    let phone: String?
    let licenseNumber: String?
    let createdAt: String

    init(_ user: User, hospital: Hospital? = nil, patient: Patient? = nil, doctor: Doctor? = nil) {
        id = user.id.description
        email = user.email.value
        role = user.role.rawValue
        isActive = user.isActive
        name = patient.map { "\($0.firstName) \($0.lastName)" } ?? doctor?.fullName ?? hospital?.name
        hospitalId = (user.hospitalID ?? doctor?.hospitalID)?.description
        hospitalCode = hospital?.code.value
        patientId = patient?.id.description
        aadharUid = patient?.aadharUID
        doctorId = doctor?.id.description
        phone = patient?.phonePrimary ?? doctor?.phonePrimary
        licenseNumber = doctor?.licenseNumber?.value
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
