import Domain
import Foundation
import Synchronization

/// Access tokens whose signature and claims were verified already, with what they say: a client
/// presents the same token on every request for half an hour, and checking it once is enough.
/// Only verified tokens are kept (a forged one never is); expiry is still checked on every use.
final class VerifiedAccessTokens: Sendable {
    /// Tokens kept at most; when full, all are forgotten (they verify again).
    static let capacity = 10_000

    struct Claims: Sendable {
        let userID: User.ID
        let role: UserRole
        let expires: Date
    }

    private let tokens = Mutex<[String: Claims]>([:])

    init() {}

    func claims(of token: String) -> Claims? {
        tokens.withLock { $0[token] }
    }

    func keep(_ claims: Claims, of token: String) {
        tokens.withLock { tokens in
            if tokens.count >= Self.capacity { tokens.removeAll() }
            tokens[token] = claims
        }
    }
}
