import Foundation
import GRDB
import Hummingbird
import Replication
import NIOSSL
import ServiceLifecycle

/// `/replication/v1`: the sync protocol between nodes (feed, push, digest, handshake/status).
/// Behind `ReplicationAuthMiddleware`; batches use the binary framing of `ChangeBatchCodec`.
struct ReplicationRoutes {
    static let maximumBatchLimit = 10_000
    static let maximumWaitSeconds = 30
    static let maximumPushBytes = 256 << 20

    let store: ReplicatedStore
    let board: SyncStatusBoard
    /// Who contacted this node's replication endpoints (the hub's fleet view).
    let contacts: NodeContacts
    /// What a pushing node may change (checked against its certificate's facility).
    let authorizer: any PushAuthorizer
    /// The node's mutual-TLS setup, when replication runs over it: it binds pushes to the peer's
    /// certificate and enables revocations.
    var tls: MutualTLS? = nil
    /// The node's blobs (documents' and backups' files): served to peers that lack them, and
    /// taken from nodes that push theirs (at most `limit` bytes each, and only blobs a record here
    /// names).
    var blobs: (store: BlobStore, references: BlobReferences, limit: Int)? = nil

    /// Mounts the endpoints under `/replication/v1`: on the mutual-TLS replication server (the
    /// handshake already admitted only this deployment's nodes), or, without TLS, on the API
    /// server behind the deployment token.
    func register(on root: RouteRegistrar, deploymentToken: String?) {
        let group = root.deploymentGroup("replication/v1", token: deploymentToken)
        let tag = "Replication"
        group.add(.get, "changes", tag, "The change feed after a version (binary batches; long polling with wait)", access: .deployment, documented: {
            $0.query = [
                .init(name: "since", description: "Feed version already applied", schema: .integer),
                .init(name: "limit", description: "Entries per batch", schema: .integer),
                .init(name: "wait", description: "Seconds to hold a caught-up request", schema: .integer),
            ]
            $0.contentType = "application/octet-stream"
        }, use: changes)
        group.add(.post, "changes", tag, "Apply a batch pushed by a node (binary)", access: .deployment, use: push)
        group.add(.get, "digest", tag, "Order-independent digest of the replicated state", access: .deployment, use: digest)
        group.add(.get, "status", tag, "Handshake: node, incarnation, schema, feed head and sync state", access: .deployment, use: status)
        if blobs != nil {
            group.add(.get, "blobs/{sha256}", tag, "A blob's bytes, by SHA-256 (streamed)", access: .deployment, documented: {
                $0.contentType = "application/octet-stream"
            }, use: blob)
            group.add(.head, "blobs/{sha256}", tag, "Whether this node has a blob (200) or not (404)", access: .deployment, use: hasBlob)
            group.add(.put, "blobs/{sha256}", tag, "Store a pushed blob a record here names (streamed; kept only if its bytes hash to its name)",
                      access: .deployment, documented: {
                $0.success = (201, nil)
                $0.errors = [(404, "Not a SHA-256 name"), (409, "No record here names the blob yet: push the records first"),
                             (413, "The blob is over this node's size limit"), (422, "The bytes do not hash to the name")]
            }, use: receiveBlob)
        }
        if tls != nil {
            group.add(.post, "revocations", tag, "Record a CA-signed node revocation", access: .deployment, use: revoke)
        }
    }

    /// `POST revocations`: records a CA-signed node revocation, which then replicates everywhere.
    @Sendable func revoke(_ request: Request, context: EdgeRequestContext) async throws -> EditedResponse<RevocationAnswer> {
        var request = request
        let revocation = try await request.decodeJSON(as: NodeRevocation.self, context: context)
        let recorded = try await NodeRevocations.record(revocation, caPEM: tls!.caPEM, in: store)
        context.logger.notice("Node certificate revoked", metadata: ["edge.peer.id": "\(revocation.nodeId)"])
        return EditedResponse(status: recorded ? .created : .ok, response: RevocationAnswer(nodeId: revocation.nodeId.description, recorded: recorded))
    }

    /// `GET changes?since=V&limit=N&wait=S`: up to N feed entries after V; when there are none,
    /// holds the request up to S seconds for new ones (long polling).
    @Sendable func changes(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let since = try Self.integer(query.get("since"), name: "since", default: 0, range: 0...Int64.max)
        let limit = try Self.integer(query.get("limit"), name: "limit", default: 1000, range: 1...Int64(Self.maximumBatchLimit))
        let wait = try Self.integer(query.get("wait"), name: "wait", default: 0, range: 0...Int64(Self.maximumWaitSeconds))
        if wait > 0 {
            // A held poll ends as soon as the server starts a graceful shutdown.
            await cancelWhenGracefulShutdown {
                await store.notifier.waitForChanges(after: since, timeout: .seconds(wait))
            }
        }
        let batch = try await store.changes(since: since, limit: Int(limit))
        if let peer = try await context.peerIdentity(tls) {
            contacts.pulled(by: peer.nodeID, facility: peer.facility.value, since: since)
        }
        let bytes = ChangeBatchCodec.encode(batch)
        return Response(
            status: .ok, headers: [.contentType: ChangeBatchCodec.mediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// `POST changes`: applies a batch a peer pushes; answers what changed and the checkpoint.
    /// Over mutual TLS a node may push only its own feed — the batch's origin must be the node its
    /// certificate names (the checkpoint stored with the batch is that node's) — and only changes
    /// its facility may make (`authorizer`); refused rows are counted in the answer and kept in
    /// the refused-changes status.
    @Sendable func push(_ request: Request, context: EdgeRequestContext) async throws -> ApplyResult {
        let body = try await request.body.collect(upTo: Self.maximumPushBytes)
        let batch = try ChangeBatchCodec.decode(Array(body.readableBytesView))
        let peer = try await context.peerIdentity(tls)
        if tls != nil {
            guard let peer, peer.nodeID == batch.origin else { throw APIError.forbidden("A node may push only its own feed") }
        }
        let result: ApplyResult
        do {
            result = try await store.apply(batch, authorization: peer.map { (Pusher(nodeID: $0.nodeID, scope: $0.facility.value), authorizer) })
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw APIError(status: .unprocessableContent, code: "malformed_batch", detail: "The batch breaks a constraint of this node's schema: \(error.message ?? "constraint failed")")
        }
        contacts.pushed(by: batch.origin, facility: peer?.facility.value, head: batch.head, through: result.checkpoint)
        context.logger.debug("Applied pushed batch", metadata: ["edge.peer.id": "\(batch.origin)", "repl.rows": "\(result.applied)"])
        if result.refused > 0 {
            context.logger.warning("Refused pushed changes", metadata: ["edge.peer.id": "\(batch.origin)", "repl.refused": "\(result.refused)"])
        }
        return result
    }

    /// `GET blobs/{sha256}`: the file, streamed; 404 when this node does not have it.
    @Sendable func blob(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        guard let sha256 = context.parameters.get("sha256"), let store = blobs?.store, let path = store.path(of: sha256), store.contains(sha256) else {
            throw APIError.notFound("No such blob here")
        }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: try await context.fileBody(at: path))
    }

    /// `HEAD blobs/{sha256}`: 200 when this node has the blob, 404 when not.
    @Sendable func hasBlob(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        guard let sha256 = context.parameters.get("sha256"), blobs?.store.contains(sha256) == true else { throw APIError.notFound("No such blob here") }
        return Response(status: .ok)
    }

    /// `PUT blobs/{sha256}`: a node pushes a blob (the hub is sent the files of the records it
    /// receives). Streamed to disk and kept only if the bytes hash to the name; taken only when a
    /// record here names it, so a node cannot park files the deployment's records do not know.
    @Sendable func receiveBlob(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        guard let sha256 = context.parameters.get("sha256"), let blobs, blobs.store.path(of: sha256) != nil else {
            throw APIError.notFound("A blob is named by its SHA-256 in lowercase hex")
        }
        if blobs.store.contains(sha256) { return Response(status: .ok) }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > blobs.limit { throw APIError.payloadTooLarge }
        guard try await blobs.references.names(sha256) else {
            throw APIError(status: .conflict, code: "blob_not_named", detail: "No record on this node names the blob yet: push the records first")
        }
        let writer = try blobs.store.writer(limit: blobs.limit)
        do {
            try await writer.write(contentsOf: request.body)
            guard try writer.commit(as: sha256) else {
                throw APIError(status: .unprocessableContent, code: "blob_hash_mismatch", detail: "The bytes received hash to \(writer.sha256), not to the blob's name")
            }
        } catch {
            writer.discard()
            throw error
        }
        context.logger.debug("Received a pushed blob", metadata: ["edge.blob": "\(sha256)"])
        return Response(status: .created)
    }

    @Sendable func digest(_ request: Request, context: EdgeRequestContext) async throws -> ReplicaDigest {
        try await store.digest()
    }

    @Sendable func status(_ request: Request, context: EdgeRequestContext) async throws -> ReplicaStatus {
        try await store.status(peers: board.snapshot())
    }

    private static func integer(_ raw: String?, name: String, default value: Int64, range: ClosedRange<Int64>) throws -> Int64 {
        guard let raw else { return value }
        guard let parsed = Int64(raw), range.contains(parsed) else {
            throw APIError.unprocessable([.init(field: name, message: "must be a whole number in \(range.lowerBound)...\(range.upperBound)")])
        }
        return parsed
    }
}

extension ApplyResult: ResponseEncodable {}
extension ReplicaDigest: ResponseEncodable {}
extension ReplicaStatus: ResponseEncodable {}

/// The answer to a revocation: which node, and whether it was new here.
struct RevocationAnswer: ResponseEncodable {
    let nodeId: String
    let recorded: Bool
}
