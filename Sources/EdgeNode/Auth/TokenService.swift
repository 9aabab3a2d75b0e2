import Crypto
import Domain
import Foundation
import GRDB
import JWTKit
import Replication

/// Issues and checks the API's tokens.
///
/// Access tokens are HS256 JWTs (30 minutes) signed with a key derived from the deployment secret,
/// so every node of the deployment accepts every other node's tokens. Refresh tokens (7 days) are
/// random, stored only as SHA-256 hashes in a replicated table, rotated on every use; presenting a
/// rotated token again revokes its whole family.
struct TokenService: Sendable {
    static let accessLifetime: TimeInterval = 30 * 60
    static let refreshLifetime: TimeInterval = 7 * 24 * 60 * 60

    struct Pair: Sendable {
        let accessToken: String
        let refreshToken: String
    }

    let keys: JWTKeyCollection
    let store: ReplicatedStore
    let clock: any PhysicalClock
    let verified = VerifiedAccessTokens()

    init(secret: DeploymentSecret, store: ReplicatedStore, clock: any PhysicalClock) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: secret.derivedKey(for: "jwt-signing")), digestAlgorithm: .sha256)
        self.store = store
        self.clock = clock
    }

    /// A new token pair opening a new refresh family (login, sign-up).
    func issue(for user: User) async throws -> Pair {
        let (refresh, row) = newRefreshToken(for: user.id, family: UUID())
        try await store.write { try $0.insert(into: DomainTables.refreshTokens.name, id: refresh.id, values: row) }
        return Pair(accessToken: try await accessToken(for: user), refreshToken: refresh.token)
    }

    /// The principal of a valid access token; throws 401 for a missing, forged, expired or `alg:none` token.
    func principal(fromAccessToken token: String) async throws -> Principal {
        let invalid = APIError.unauthorized("The access token is invalid or expired", code: "invalid_token")
        let claims: VerifiedAccessTokens.Claims
        if let kept = verified.claims(of: token) {
            claims = kept
        } else {
            guard let checked = try? await keys.verify(token, as: AccessTokenClaims.self), let id = User.ID(checked.sub.value),
                  let role = UserRole(rawValue: checked.role) else { throw invalid }
            claims = .init(userID: id, role: role, expires: checked.exp.value)
            verified.keep(claims, of: token)
        }
        guard claims.expires > clock.now() else { throw invalid }
        return Principal(userID: claims.userID, role: claims.role)
    }

    /// Exchanges a refresh token for a new pair, rotating it. Returns the user id it belongs to.
    func rotate(_ presented: String, loadUser: (User.ID) async throws -> User?) async throws -> (Pair, User) {
        let invalid = APIError.unauthorized("The refresh token is invalid or expired", code: "invalid_refresh_token")
        guard let (id, presentedHash) = Self.parse(presented) else { throw invalid }
        let now = clock.now()

        enum Outcome: Sendable { case rotated(User.ID, RefreshToken), reused, invalid }
        let table = DomainTables.refreshTokens.name
        let outcome = try await store.write { write -> Outcome in
            guard let row = try write.read({ db in
                try Row.fetchOne(db, sql: "SELECT user_id, family_id, token_hash, expires_at, status FROM refresh_tokens WHERE id = ?", arguments: [id])
            }) else { return .invalid }
            let storedHash: String = row["token_hash"], status: String = row["status"], family: String = row["family_id"]
            guard DeploymentSecret.tokensMatch(presentedHash, storedHash), try !Self.isRevoked(family: family, in: write) else { return .invalid }
            guard status == RefreshTokenStatus.active.rawValue else {
                if status == RefreshTokenStatus.rotated.rawValue {
                    try self.revokeFamily(family, in: write)
                    return .reused
                }
                return .invalid
            }
            guard let expires = Timestamps.parse(row["expires_at"]), expires > now,
                  let userID = User.ID(row["user_id"] as String), let familyID = UUID(uuidString: family) else { return .invalid }
            try write.update(table, id: id, set: ["status": .text(RefreshTokenStatus.rotated.rawValue)])
            let (next, values) = self.newRefreshToken(for: userID, family: familyID)
            try write.insert(into: table, id: next.id, values: values)
            return .rotated(userID, next)
        }
        switch outcome {
        case .invalid: throw invalid
        case .reused:
            throw APIError.unauthorized("This refresh token was already used; its session is revoked. Log in again.", code: "refresh_token_reused")
        case .rotated(let userID, let refresh):
            guard let user = try await loadUser(userID), user.isActive else { throw invalid }
            return (Pair(accessToken: try await accessToken(for: user), refreshToken: refresh.token), user)
        }
    }

    /// Logs out: revokes the whole family of a refresh token (every token rotated from the same
    /// login), at every replica once it syncs. Returns the account it belonged to; `nil` (and
    /// nothing changes) when the token is not one of ours.
    func revoke(_ presented: String) async throws -> User.ID? {
        guard let (id, presentedHash) = Self.parse(presented) else { return nil }
        return try await store.write { write -> User.ID? in
            guard let row = try write.read({ db in
                try Row.fetchOne(db, sql: "SELECT user_id, family_id, token_hash FROM refresh_tokens WHERE id = ?", arguments: [id])
            }), DeploymentSecret.tokensMatch(presentedHash, row["token_hash"]) else { return nil }
            try self.revokeFamily(row["family_id"], in: write)
            return User.ID(row["user_id"] as String)
        }
    }

    /// Revokes a session: records its family in the replicated revocation set, so tokens of the
    /// family that this node has not seen yet (rotated at a partitioned node) are refused too once
    /// they arrive, and marks the members known here.
    private func revokeFamily(_ family: String, in write: ReplicatedWrite) throws {
        try write.append(to: DomainTables.revokedSessions.name, id: family, values: ["revoked_at": .text(Timestamps.storage(clock.now()))])
        let live = try write.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM refresh_tokens WHERE family_id = ? AND status != ?", arguments: [family, RefreshTokenStatus.revoked.rawValue])
        }
        for member in live {
            try write.update(DomainTables.refreshTokens.name, id: member, set: ["status": .text(RefreshTokenStatus.revoked.rawValue)])
        }
    }

    private static func isRevoked(family: String, in write: ReplicatedWrite) throws -> Bool {
        try write.read { try Bool.fetchOne($0, sql: "SELECT 1 FROM revoked_sessions WHERE id = ?", arguments: [family]) ?? false }
    }

    /// A presented refresh token's row id and the hash of its secret part.
    private static func parse(_ presented: String) -> (String, String)? {
        let parts = presented.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, UUID(uuidString: String(parts[0])) != nil else { return nil }
        return (String(parts[0]).lowercased(), hash(String(parts[1])))
    }

    private func accessToken(for user: User) async throws -> String {
        let now = clock.now()
        let claims = AccessTokenClaims(
            sub: .init(value: user.id.description), role: user.role.rawValue,
            exp: .init(value: now.addingTimeInterval(Self.accessLifetime)), iat: .init(value: now),
            typ: AccessTokenClaims.tokenType, nid: store.identity.nodeID.description
        )
        return try await keys.sign(claims)
    }

    struct RefreshToken: Sendable {
        let id: String
        let token: String
    }

    private func newRefreshToken(for user: User.ID, family: UUID) -> (RefreshToken, [String: SQLValue]) {
        var generator = SystemRandomNumberGenerator()
        let id = RowIDs.timeOrdered(milliseconds: clock.nowMilliseconds(), using: &generator).uuidString.lowercased()
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let now = clock.now()
        let values: [String: SQLValue] = [
            "user_id": .text(user.description), "family_id": .text(family.uuidString.lowercased()),
            "token_hash": .text(Self.hash(secret)), "expires_at": .text(Timestamps.storage(now.addingTimeInterval(Self.refreshLifetime))),
            "created_at": .text(Timestamps.storage(now)), "status": .text(RefreshTokenStatus.active.rawValue),
        ]
        return (RefreshToken(id: id, token: "\(id).\(secret)"), values)
    }

    private static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).hexString
    }
}

