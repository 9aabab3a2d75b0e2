import Domain
import JWTKit

/// The claims of an access token: the contract's `sub`, `role` and `exp`, plus issue time,
/// issuing node and a type marker so a token minted for another purpose is never accepted here.
struct AccessTokenClaims: JWTPayload {
    static let tokenType = "access"

    var sub: SubjectClaim
    var role: String
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var typ: String
    /// The node that issued the token (any node of the deployment accepts it).
    var nid: String

    /// Checks what the token says it is; its expiry is checked against the node's clock by
    /// `TokenService` (JWTKit's own check would read the system clock).
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard typ == Self.tokenType else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token") }
        guard UserRole(rawValue: role) != nil else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "unknown role") }
    }
}
