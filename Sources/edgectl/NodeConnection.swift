import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import Replication

/// How `edgectl` reaches a node's replication endpoints: its URL and the deployment secret.
struct NodeConnection: ParsableArguments {
    @Option(help: "Node configuration file to read the deployment secret from.") var config: String?
    @Option(help: "The deployment secret (default: EDGE_DEPLOYMENT_SECRET, or the configuration file).")
    var deploymentSecret: String?

    func token() throws -> String {
        let secret = try deploymentSecret
            ?? ProcessInfo.processInfo.environment["EDGE_DEPLOYMENT_SECRET"]
            ?? config.flatMap { try NodeConfiguration.load(path: $0).deploymentSecret }
        guard let secret else {
            throw ValidationError("give the deployment secret: --deployment-secret, EDGE_DEPLOYMENT_SECRET or --config")
        }
        return try explained { try DeploymentSecret(secret).replicationToken }
    }

    /// GETs a replication endpoint of `node` and decodes its JSON answer.
    func get<T: Decodable>(_ type: T.Type, node: String, path: String) async throws -> T {
        let base = node.hasSuffix("/") ? String(node.dropLast()) : node
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "X-Deployment-Token", value: try token())
        let response: HTTPClientResponse
        do { response = try await HTTPClient.shared.execute(request, timeout: .seconds(30)) } catch {
            throw CLIError("cannot reach \(node): \(error)")
        }
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            throw CLIError("\(node) answered \(response.status.code): \(String(buffer: body))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(T.self, from: Data(body.readableBytesView)) } catch {
            throw CLIError("\(node) sent an answer edgectl cannot read (is it a CloudCare Edge node of this version?)")
        }
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
