import HTTPTypes
import Hummingbird

/// Answers CORS preflights and marks responses for allowed origins; requests from other origins
/// get no CORS headers (the browser then withholds the response). Bearer tokens, not cookies,
/// authenticate, so credentials are never allowed.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext
    let policy: CORSPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        guard let allowed = policy.allowedOrigin(origin) else {
            return try await next(request, context)
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
        response.headers[.vary] = "Origin"
        return response
    }
}
