import Domain
import Foundation
import HTTPTypes
import Hummingbird

/// Refuses requests over a limit with 429 and `Retry-After`. Each rule keys requests its own way
/// (client address, account) and counts either every request or only refused credentials; a
/// request must pass every rule. Login uses one rule per account and one per client address.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    struct Rule: Sendable {
        enum Counting: Sendable {
            /// Every request takes a token.
            case everyRequest
            /// Only answers of 401 keep their token (failed logins): every request takes one up
            /// front, so concurrent attempts cannot slip past the limit, and any other answer gives
            /// it back, so a correct password never uses up an account's allowance.
            case refusedCredentials
        }

        let limiter: RateLimiter
        let counting: Counting
        /// The request's key under this rule; `nil` exempts it.
        let key: @Sendable (inout Request, EdgeRequestContext) async throws -> String?
    }

    let rules: [Rule]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var refundUnlessRefused: [(RateLimiter, String)] = []
        for rule in rules {
            guard let key = try await rule.key(&request, context) else { continue }
            if let wait = rule.limiter.take(key) {
                for (limiter, key) in refundUnlessRefused { limiter.refund(key) }
                throw APIError.rateLimited(retryAfter: wait)
            }
            if rule.counting == .refusedCredentials { refundUnlessRefused.append((rule.limiter, key)) }
        }
        do {
            let response = try await next(request, context)
            for (limiter, key) in refundUnlessRefused { limiter.refund(key) }
            return response
        } catch let error as APIError where error.status == .unauthorized {
            throw error
        } catch {
            for (limiter, key) in refundUnlessRefused { limiter.refund(key) }
            throw error
        }
    }
}

extension RateLimitMiddleware.Rule {
    /// Every request, one bucket per client address.
    static func perAddress(_ limiter: RateLimiter) -> Self {
        Self(limiter: limiter, counting: .everyRequest) { _, context in "address:" + (context.remoteAddress ?? "unknown") }
    }

    /// Failed logins, one bucket per account: the body's `email`, read as the login handler reads
    /// it (a body that is not a login with a valid email is not counted; it fails validation).
    static func failedLoginsPerAccount(_ limiter: RateLimiter) -> Self {
        Self(limiter: limiter, counting: .refusedCredentials) { request, context in
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            guard let login = try? APIJSON.decoder().decode(LoginRequest.self, from: Data(body.readableBytesView)),
                  let email = login.email.flatMap(EmailAddress.init) else { return nil }
            return "account:" + email.value
        }
    }
}
