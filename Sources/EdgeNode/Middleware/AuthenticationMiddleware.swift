import Hummingbird

/// Requires a valid bearer access token and records its principal in the context.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext
    let tokens: TokenService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized("Not authenticated: send an access token as 'Authorization: Bearer <token>'")
        }
        var context = context
        context.principal = try await tokens.principal(fromAccessToken: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}

import Foundation
