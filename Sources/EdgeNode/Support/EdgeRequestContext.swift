import Domain
import Foundation
import Hummingbird
import NIOCore
import NIOSSL
import Replication

/// The per-request context: who is calling (once authenticated) and the JSON conventions of the API.
struct EdgeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by the `Gatekeeper` on routes that require a signed-in caller.
    var principal: Principal?
    /// The client's address, for rate limits and audit.
    let remoteAddress: String?
    /// The connection, to read the peer's TLS certificate on the replication port.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        channel = source.channel
    }

    /// JSON request bodies larger than this are refused with 413.
    var maxUploadSize: Int { 1 << 20 }

    var requestDecoder: JSONDecoder { APIJSON.decoder() }
    var responseEncoder: JSONEncoder { APIJSON.encoder() }

    /// The id of `entity` the path's `parameter` names; 404 (`No such <name>`) when it is not one.
    func pathID<Entity>(_ parameter: String, of entity: Entity.Type, name: String) throws -> Identifier<Entity> {
        guard let id = parameters.get(parameter).flatMap(Identifier<Entity>.init) else { throw APIError.notFound("No such \(name)") }
        return id
    }

    /// The authenticated caller; throws 401 when the route was reached without one.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.unauthorized("Not authenticated") }
        return principal
    }
}

extension EdgeRequestContext {
    /// The identity the TLS peer's certificate attests, when the request came over mutual TLS
    /// (`tls` is the node's setup); `nil` otherwise.
    func peerIdentity(_ tls: MutualTLS?) async throws -> NodeCertificateIdentity? {
        guard let tls else { return nil }
        let certificate = try await channel.nioSSL_peerCertificate().get()
        return certificate.flatMap { tls.identity(ofPeer: $0) }
    }
}

/// The API's JSON conventions: snake_case keys, ISO-8601 dates.
enum APIJSON {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
