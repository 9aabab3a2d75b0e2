import HTTPTypes
import Hummingbird

/// Answers CORS preflights and marks responses for allowed origins; requests from other origins
/// get no CORS headers (the browser then withholds the response). Bearer tokens, not cookies,
/// authenticate, so credentials are never allowed.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext
    let policy: CORSPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !policy.allowedOrigins.isEmpty else { return try await next(request, context) }
        guard let allowed = policy.allowedOrigin(request.headers[.origin]) else {
            var response = try await next(request, context)
            response.headers[.vary] = "Origin"  // the answer depends on the origin: caches must not share it
            return response
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return Response(status: .noContent, headers: [
                .accessControlAllowOrigin: allowed, .vary: "Origin",
                .accessControlAllowMethods: "GET, POST, PUT, PATCH, DELETE",
                .accessControlAllowHeaders: "Authorization, Content-Type",
                .accessControlMaxAge: "600",
            ])
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = allowed
        response.headers[.accessControlExposeHeaders] = "Retry-After, X-Request-Id"
        response.headers[.vary] = "Origin"
        return response
    }
}
