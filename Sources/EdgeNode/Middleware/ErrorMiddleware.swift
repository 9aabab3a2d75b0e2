import Hummingbird
import Logging

/// Turns every error thrown below it into the API's JSON error, and logs server faults.
/// Messages are built from error cases, never from request bodies, so no secret reaches the log.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError(error)
            if apiError.status.code >= 500 {
                context.logger.error("Request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            }
            return try apiError.response(from: request, context: context)
        }
    }
}
