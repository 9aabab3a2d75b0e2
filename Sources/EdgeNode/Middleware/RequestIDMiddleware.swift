import HTTPTypes
import Hummingbird

/// Echoes Hummingbird's request id to the client as `X-Request-Id`, so a caller can quote it.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        return response
    }
}
