import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Replication

/// The one error type of the HTTP layer: every failure leaves the node as
/// `{"detail": "<human message>", "code": "<machine_code>"}` (plus `fields` for validation).
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let detail: String
    var fields: [FieldIssue] = []
    var headers: HTTPFields = [:]

    static func badRequest(_ detail: String) -> Self { .init(status: .badRequest, code: "bad_request", detail: detail) }
    static func unauthorized(_ detail: String, code: String = "not_authenticated") -> Self {
        .init(status: .unauthorized, code: code, detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }
    static func forbidden(_ detail: String) -> Self { .init(status: .forbidden, code: "forbidden", detail: detail) }
    static func notFound(_ detail: String) -> Self { .init(status: .notFound, code: "not_found", detail: detail) }
    static func conflict(_ detail: String) -> Self { .init(status: .conflict, code: "conflict", detail: detail) }
    /// 429 with `Retry-After`: the caller's allowance comes back in `wait` seconds.
    static func rateLimited(retryAfter wait: Double) -> Self {
        let seconds = max(1, Int(wait.rounded(.up)))
        return .init(status: .tooManyRequests, code: "rate_limited", detail: "Too many attempts; try again in \(seconds) s", headers: [.retryAfter: String(seconds)])
    }
    static func unprocessable(_ fields: [FieldIssue]) -> Self {
        let summary = fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        return .init(status: .unprocessableContent, code: "validation_error", detail: "Invalid input: \(summary)", fields: fields)
    }

    private struct Body: Encodable {
        let detail: String
        let code: String
        let fields: [FieldIssue]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try APIJSON.encoder().encode(Body(detail: detail, code: code, fields: fields.isEmpty ? nil : fields))
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension APIError {
    /// The single mapping from every module's errors to HTTP. Unknown errors become a generic 500
    /// whose detail reveals nothing; the caller logs the original.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as DomainError:
            switch error {
            case .invalid(let fields): self = .unprocessable(fields)
            case .conflict(let detail): self = .conflict(detail)
            case .notFound(let detail): self = .notFound(detail)
            case .forbidden(let detail): self = .forbidden(detail)
            case .unauthorized(let detail): self = .unauthorized(detail, code: "invalid_credentials")
            }
        case let error as ReplicationError:
            switch error {
            case .schemaMismatch(let expected, let received):
                self = .init(status: .conflict, code: "schema_mismatch", detail: "Schema \(received) does not match this node's \(expected); changes are held")
            case .malformedBatch(let reason):
                self = .init(status: .badRequest, code: "malformed_batch", detail: "Malformed change batch: \(reason)")
            case .invalidConfiguration(let reason):
                self = .init(status: .badRequest, code: "bad_request", detail: reason)
            case .monotonicViolation:
                // A concurrent change (here or replicated) moved the object on since it was read.
                self = .conflict("This was changed meanwhile; read it again")
            case .rowNotFound:
                self = .notFound("This no longer exists")
            case .rowExists, .unknownTable, .unknownColumn, .peerUnavailable, .untrustedPeer:
                self = .internalError
            }
        case is NIOTooManyBytesError:
            self = .payloadTooLarge
        case is HTTPParserError:
            // The client broke the request off (a cancelled upload) or sent a malformed one.
            self = .init(status: .badRequest, code: "incomplete_request", detail: "The request ended before its body was complete, or could not be parsed")
        case let error as HTTPError:
            switch error.status {
            case .notFound: self = .notFound("No route for this method and path")
            case .contentTooLarge: self = .payloadTooLarge
            case .methodNotAllowed: self = .init(status: .methodNotAllowed, code: "method_not_allowed", detail: "Method not allowed")
            default: self = .init(status: error.status, code: "http_\(error.status.code)", detail: error.body ?? error.status.reasonPhrase)
            }
        default:
            self = .internalError
        }
    }

    static let payloadTooLarge = APIError(status: .contentTooLarge, code: "payload_too_large", detail: "The request body is too large")
    static let internalError = APIError(status: .internalServerError, code: "internal_error", detail: "The node could not complete this request")
}
