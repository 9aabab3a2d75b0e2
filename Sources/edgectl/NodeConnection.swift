import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import Replication

/// How `edgectl` reaches a node's replication endpoints: with the mutual-TLS identity of a node
/// bundle (`--config bundle/config.json`), or, for nodes without TLS, with the deployment token.
struct NodeConnection: ParsableArguments {
    @Option(help: "A node bundle's config.json: its certificate is used for mutual TLS (or its deployment secret).")
    var config: String?
    @Option(help: "The deployment secret, for nodes without TLS (default: EDGE_DEPLOYMENT_SECRET).")
    var deploymentSecret: String?

    /// GETs a replication endpoint of `node` and decodes its JSON answer.
    func get<T: Decodable>(_ type: T.Type, node: String, path: String) async throws -> T {
        try await send(HTTPClientRequest(url: Self.url(node, path)), to: node, decoding: T.self)
    }

    /// POSTs a JSON body to a replication endpoint of `node` and decodes its JSON answer.
    func post<T: Decodable>(_ body: some Encodable, to node: String, path: String, decoding type: T.Type) async throws -> T {
        var request = HTTPClientRequest(url: Self.url(node, path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        request.body = .bytes(ByteBuffer(bytes: try encoder.encode(body)))
        return try await send(request, to: node, decoding: T.self)
    }

    private static func url(_ node: String, _ path: String) -> String {
        (node.hasSuffix("/") ? String(node.dropLast()) : node) + path
    }

    private func send<T: Decodable>(_ request: HTTPClientRequest, to node: String, decoding type: T.Type) async throws -> T {
        var request = request
        let configuration = try config.map { path in try explained { try NodeConfiguration.load(path: path) } }
        let client: HTTPClient
        if let certificate = configuration?.tlsCertificate, let key = configuration?.tlsPrivateKey, let ca = configuration?.tlsCaCertificate {
            let tls = try explained { try MutualTLS(certificatePath: certificate, privateKeyPath: key, caPath: ca) }
            client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls.client))
        } else {
            client = .shared
            request.headers.add(name: "X-Deployment-Token", value: try token(configuration))
        }
        let result: Result<(status: UInt, body: ByteBuffer), any Error>
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            result = .success((response.status.code, try await response.body.collect(upTo: 16 << 20)))
        } catch {
            result = .failure(error)
        }
        if client !== HTTPClient.shared { try? await client.shutdown() }
        if case .failure(let error) = result { throw CLIError("cannot reach \(node): \(error)") }
        let (status, body) = try result.get()
        guard (200..<300).contains(status) else {
            throw CLIError("\(node) answered \(status): \(String(buffer: body))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(T.self, from: Data(body.readableBytesView)) } catch {
            throw CLIError("\(node) sent an answer edgectl cannot read (is it a CloudCare Edge node of this version?)")
        }
    }

    private func token(_ configuration: NodeConfiguration?) throws -> String {
        guard let secret = deploymentSecret ?? ProcessInfo.processInfo.environment["EDGE_DEPLOYMENT_SECRET"] ?? configuration?.deploymentSecret else {
            throw ValidationError("give --config (a node bundle), --deployment-secret or EDGE_DEPLOYMENT_SECRET")
        }
        return try explained { try DeploymentSecret(secret).replicationToken }
    }
}

/// Runs `body`, turning a configuration error into a plain message for the operator.
func explained<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ReplicationError {
        guard case .invalidConfiguration(let reason) = error else { throw error }
        throw CLIError(reason)
    }
}

/// A failure explained to the operator, without a stack trace.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
