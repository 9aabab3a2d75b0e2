import Foundation
import HTTPTypes
import Hummingbird

/// Refuses requests over a limit with 429 and `Retry-After`. Each rule keys requests its own way
/// (client address, account, user); a request must pass every rule. Login uses it per account and
/// per address; the backup routes reuse it with the DocAssist limits.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    struct Rule: Sendable {
        let limiter: RateLimiter
        /// The request's key under this rule; `nil` exempts it.
        let key: @Sendable (inout Request, EdgeRequestContext) async throws -> String?
    }

    let rules: [Rule]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        for rule in rules {
            guard let key = try await rule.key(&request, context), let wait = rule.limiter.take(key) else { continue }
            let seconds = Int(wait.rounded(.up))
            throw APIError(
                status: .tooManyRequests, code: "rate_limited",
                detail: "Too many requests; try again in \(seconds) s", headers: [.retryAfter: String(max(1, seconds))]
            )
        }
        return try await next(request, context)
    }
}

extension RateLimitMiddleware.Rule {
    /// One bucket per client address.
    static func perAddress(_ limiter: RateLimiter) -> Self {
        Self(limiter: limiter) { _, context in "address:" + (context.remoteAddress ?? "unknown") }
    }

    /// One bucket per account named by the JSON body's `email` (the body stays readable downstream).
    static func perAccount(_ limiter: RateLimiter) -> Self {
        Self(limiter: limiter) { request, context in
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                  let email = object["email"] as? String else { return nil }
            return "account:" + email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
    }
}
