import Foundation
import Hummingbird

extension Request {
    /// Decodes a JSON body with the API's conventions, turning every failure into a clear 4xx:
    /// 413 over the size limit (the context's, or `limit`), 400 for malformed JSON, 422 naming the
    /// field of a wrong type.
    mutating func decodeJSON<T: Decodable>(as type: T.Type, context: EdgeRequestContext, limit: Int? = nil) async throws -> T {
        let buffer = try await collectBody(upTo: limit ?? context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("The request body is empty; a JSON object is expected") }
        do {
            return try APIJSON.decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }
}

extension APIError {
    /// Maps a decoding failure to the field it concerns.
    init(decoding error: DecodingError) {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue.snakeCased }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .badRequest("The request body is not valid JSON")
        case .typeMismatch(let type, let context):
            self = .unprocessable([.init(field: field(context.codingPath), message: "must be of type \(Self.jsonName(of: type))")])
        case .valueNotFound(let type, let context):
            self = .unprocessable([.init(field: field(context.codingPath), message: "must be of type \(Self.jsonName(of: type))")])
        case .keyNotFound(let key, let context):
            self = .unprocessable([.init(field: field(context.codingPath + [key]), message: "is required")])
        case .dataCorrupted(let context):
            self = .unprocessable([.init(field: field(context.codingPath), message: "is not valid")])
        @unknown default:
            self = .badRequest("The request body could not be read")
        }
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Double.Type: "number"
        case is Bool.Type: "boolean"
        case is [Any].Type: "array"
        default: "object"
        }
    }
}

extension String {
    /// `camelCase` → `camel_case`, to report fields as the API spells them.
    var snakeCased: String {
        reduce(into: "") { result, character in
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
    }
}
