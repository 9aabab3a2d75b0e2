import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Replication

/// Talks to a peer's `/replication/v1` endpoints over HTTP(S).
struct HTTPPeerTransport: PeerTransport {
    static let maximumResponseBytes = 256 << 20

    let address: String
    /// The deployment token, when replication runs without mutual TLS (development only).
    let token: String?
    let client: HTTPClient
    /// Where requests go, when not to `address` (a discovered peer is dialled under its
    /// certificate's host name).
    var requestBase: String? = nil
    /// Whether `client` is this transport's own, to shut down in `close()`.
    var ownsClient = false

    /// A transport to a node found on the LAN: dialled at `url` under the host name its
    /// certificate must carry for that node of this node's own facility (`tls.identity`), so the
    /// TLS handshake itself proves the peer is the node it advertised and serves this facility.
    static func discovered(url: String, node: NodeID, tls: MutualTLS) -> HTTPPeerTransport {
        let identity = NodeCertificateIdentity(nodeID: node, facility: tls.identity.facility)
        let host = DeploymentPKI.hostName(of: identity)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls.hostNameVerifyingClient)
        let target = URLComponents(string: url)
        if let address = target?.host { configuration.dnsOverride = [host: address] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        return HTTPPeerTransport(
            address: url, token: nil, client: client, requestBase: "https://\(host):\(target?.port ?? 8443)", ownsClient: true
        )
    }

    func close() async {
        if ownsClient { try? await client.shutdown() }
    }

    func status() async throws -> ReplicaStatus {
        let body = try await get("/replication/v1/status", timeout: .seconds(10))
        do { return try APIJSON.decoder().decode(ReplicaStatus.self, from: Data(body.readableBytesView)) } catch {
            throw ReplicationError.peerUnavailable("\(address) sent an unreadable status")
        }
    }

    func changes(since: Int64, limit: Int, waitSeconds: Int) async throws -> ChangeBatch {
        let body = try await get(
            "/replication/v1/changes?since=\(since)&limit=\(limit)&wait=\(waitSeconds)",
            timeout: .seconds(Int64(waitSeconds) + 30)
        )
        return try ChangeBatchCodec.decode(Array(body.readableBytesView))
    }

    func push(_ batch: ChangeBatch) async throws -> ApplyResult {
        var request = request("/replication/v1/changes", .POST)
        request.headers.add(name: "Content-Type", value: ChangeBatchCodec.mediaType)
        request.body = .bytes(ByteBuffer(bytes: ChangeBatchCodec.encode(batch)))
        let body = try await send(request, timeout: .seconds(60))
        do { return try APIJSON.decoder().decode(ApplyResult.self, from: Data(body.readableBytesView)) } catch {
            throw ReplicationError.peerUnavailable("\(address) sent an unreadable push answer")
        }
    }

    /// What a failed TLS handshake means, in a line (BoringSSL's error stack is long and internal).
    static func reason(_ error: NIOSSLError) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return "its certificate is not from this deployment's CA (or expired)" }
        if text.contains("ALERT") { return "it refused this node's certificate" }
        return "the TLS handshake failed"
    }

    /// Streams the peer's blob `sha256` into `writer`; `false` when the peer does not have it.
    func fetchBlob(_ sha256: String, into writer: BlobWriter) async throws -> Bool {
        let response = try await execute(request("/replication/v1/blobs/\(sha256)"), timeout: .seconds(300))
        guard response.status == .ok else { return false }
        try await writer.write(contentsOf: response.body)
        return true
    }

    /// What a peer answered to a pushed blob.
    enum BlobPushOutcome: Equatable {
        /// The peer has it now (stored, or already there).
        case stored
        /// No record at the peer names it yet (push the records first).
        case notNamed
        case refused(status: Int)
    }

    /// Whether the peer has the blob `sha256`.
    func hasBlob(_ sha256: String) async throws -> Bool {
        let response = try await execute(request("/replication/v1/blobs/\(sha256)", .HEAD), timeout: .seconds(30))
        switch response.status.code {
        case 200: return true
        case 404: return false
        default: throw ReplicationError.peerUnavailable("\(address) answered \(response.status.code) asked for a blob")
        }
    }

    /// Streams the file at `path`, the blob `sha256` of `size` bytes, to the peer.
    func pushBlob(_ sha256: String, from path: String, size: Int64) async throws -> BlobPushOutcome {
        var request = request("/replication/v1/blobs/\(sha256)", .PUT)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .stream(FilePieces(path: path), length: .known(size))
        // Long enough for a gigabyte over a slow uplink; the node retries a push that times out.
        let response = try await execute(request, timeout: .hours(1))
        _ = try? await response.body.collect(upTo: 1 << 16)
        switch response.status.code {
        case 200, 201: return .stored
        case 409: return .notNamed
        default: return .refused(status: Int(response.status.code))
        }
    }

    private func get(_ path: String, timeout: TimeAmount) async throws -> ByteBuffer {
        try await send(request(path), timeout: timeout)
    }

    /// A request to the peer's `path`, carrying the deployment token when there is one.
    private func request(_ path: String, _ method: HTTPMethod = .GET) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: (requestBase ?? address) + path)
        request.method = method
        if let token { request.headers.add(name: ReplicationAuthMiddleware.header.rawName, value: token) }
        return request
    }

    /// Sends `request`; a failure to reach the peer is `peerUnavailable`, a refused TLS handshake
    /// `untrustedPeer`, a cancellation (shutting down) stays one.
    private func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        do { return try await client.execute(request, timeout: timeout) } catch let error as NIOSSLError {
            guard case .handshakeFailed = error else { throw ReplicationError.peerUnavailable("\(address): \(error)") }
            throw ReplicationError.untrustedPeer("\(address): \(Self.reason(error))")
        } catch let error as CancellationError {
            throw error
        } catch {
            throw ReplicationError.peerUnavailable("\(address): \(error)")
        }
    }

    /// Sends `request` and collects the body of its 200 answer.
    private func send(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> ByteBuffer {
        let response = try await execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: Self.maximumResponseBytes)
        guard response.status == .ok else {
            throw ReplicationError.peerUnavailable("\(address) answered \(response.status.code)")
        }
        return body
    }
}
