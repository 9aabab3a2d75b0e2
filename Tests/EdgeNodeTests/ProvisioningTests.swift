import Foundation
import Testing
@testable import EdgeNode

extension LiveProcessTests {
    /// The admin's provisioning flow with the real `edgectl` and `edge-node` binaries.
    @Suite(.serialized) struct ProvisioningTests {
        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }

        @Test func caNodeInitSignBundleAndStartFromTheBundle() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-pki-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            let port = try #require(LoopbackPort.free()), replicationPort = try #require(LoopbackPort.free())

            let ca = try NodeProcess.run("edgectl", ["ca", "init", "--dir", root + "/ca"])
            #expect(ca.status == 0)
            #expect(try mode(root + "/ca/ca.key") == 0o600)
            let again = try NodeProcess.run("edgectl", ["ca", "init", "--dir", root + "/ca"])
            #expect(again.status != 0 && again.output.contains("refusing to overwrite"))

            let badFacility = try NodeProcess.run("edgectl", ["node", "init", "--facility", "XX-1", "--name", "ward-2", "--dir", root + "/bad"])
            #expect(badFacility.status != 0)
            let node = try NodeProcess.run("edgectl", ["node", "init", "--facility", "HC-B2631D", "--name", "ward-2", "--dir", root + "/node"])
            #expect(node.status == 0)
            #expect(try mode(root + "/node/node.key") == 0o600)
            let nodeID = try #require(node.output.split(separator: " ").dropFirst().first.map(String.init))

            let sign = try NodeProcess.run("edgectl", ["ca", "sign", "--dir", root + "/ca", "--request", root + "/node/node.csr", "--out", root + "/node/node.crt"])
            #expect(sign.status == 0 && sign.output.contains(nodeID) && sign.output.contains("HC-B2631D"))

            let bundle = try NodeProcess.run("edgectl", [
                "node", "bundle", "--node-dir", root + "/node", "--ca-dir", root + "/ca", "--out", root + "/bundle",
                "--data-dir", root + "/data", "--host", "127.0.0.1", "--port", "\(port)", "--replication-port", "\(replicationPort)",
            ])
            #expect(bundle.status == 0)
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: root + "/bundle")) == ["config.json", "node.key", "node.crt", "ca.crt"])
            #expect(try mode(root + "/bundle/config.json") == 0o600 && mode(root + "/bundle/node.key") == 0o600)

            // The node starts from the bundle alone and takes the certificate's node id.
            let process = try NodeProcess.launch(config: root + "/bundle/config.json")
            defer { process.terminate(); process.waitUntilExit() }
            let http = LiveClient()
            var health: [String: Any] = [:]
            try await http.eventually(30, "node from bundle healthy") {
                health = try await http.request(.GET, "http://127.0.0.1:\(port)/health").object
                return health["status"] as? String == "healthy"
            }
            #expect((health["node"] as? [String: Any])?["id"] as? String == nodeID)
            #expect((health["node"] as? [String: Any])?["name"] as? String == "ward-2")
        }
    }
}

extension LiveProcessTests {
    /// Two nodes provisioned by `edgectl`, replicating over mutual TLS on their replication ports.
    @Suite(.serialized) struct MutualTLSTests {
        let http = LiveClient()

        /// Whether a TLS client with `tls` (or plain HTTP when nil) gets any answer from `url`.
        func answers(_ url: String, tls: TLSConfiguration?) async -> Bool {
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
            defer { _ = client.shutdown() as EventLoopFuture<Void> }
            return (try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))) != nil
        }

        @Test func nodesReplicateOverMutualTLSAndStrangersAreRefused() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-mtls-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            try #require(try NodeProcess.run("edgectl", ["ca", "init", "--dir", "\(root)/ca"]).status == 0)
            let ports = try (0..<4).map { _ in try #require(LoopbackPort.free()) }
            let a = try ProvisionedNode.provision("ward-a", root: root, ports: (ports[0], ports[1]), peers: ["https://127.0.0.1:\(ports[3])"])
            let b = try ProvisionedNode.provision("ward-b", root: root, ports: (ports[2], ports[3]), peers: ["https://127.0.0.1:\(ports[1])"])
            let processA = try NodeProcess.launch(config: a.config), processB = try NodeProcess.launch(config: b.config)
            defer { for process in [processA, processB] { process.terminate(); process.waitUntilExit() } }
            for node in [a, b] {
                try await http.eventually(30, "node healthy") {
                    try await http.request(.GET, node.api + "/health").object["status"] as? String == "healthy"
                }
            }

            // Replication works end to end over mutual TLS.
            let signup = try await http.request(.POST, a.api + "/api/v1/auth/signup/hospital", body: [
                "email": "admin@mtls.example", "password": "SecurePass123!", "name": "TLS Hospital", "phone_primary": "+911234567890",
                "address_line1": "Road 1", "city": "Mysuru", "state": "Karnataka", "postal_code": "570001",
            ])
            #expect(signup.status == 201)
            try await http.eventually(15, "login at B after replication over mutual TLS") {
                try await http.request(.POST, b.api + "/api/v1/auth/login", body: ["email": "admin@mtls.example", "password": "SecurePass123!"]).status == 200
            }
            // The login at B wrote too (its session and audit entry): equal once that has reached A.
            var verify: (status: Int32, output: String) = (1, "")
            try await http.eventually(15, "edgectl verify: replicas equal") {
                verify = try NodeProcess.run("edgectl", ["verify", "--config", a.config, "--node", a.replication, "--node", b.replication])
                return verify.status == 0
            }
            #expect(verify.status == 0 && verify.output.contains("replicas equal"), "\(verify.output)")

            // The API port no longer serves replication, and the replication port admits only this deployment.
            #expect(try await http.request(.GET, a.api + "/replication/v1/status").status == 404)
            #expect(await answers("http://127.0.0.1:\(a.replicationPort)/replication/v1/status", tls: nil) == false)
            var anonymous = TLSConfiguration.makeClientConfiguration()
            anonymous.certificateVerification = .none
            #expect(await answers(a.replication + "/replication/v1/status", tls: anonymous) == false)

            try #require(try NodeProcess.run("edgectl", ["ca", "init", "--dir", "\(root)/other-ca"]).status == 0)
            let stranger = try ProvisionedNode.provision("stranger", root: root, ca: "other-ca", ports: (ports[0], ports[1]))
            let strangerTLS = try MutualTLS(
                certificatePath: "\(root)/stranger-bundle/node.crt", privateKeyPath: "\(root)/stranger-bundle/node.key",
                caPath: "\(root)/stranger-bundle/ca.crt"
            )
            var foreign = strangerTLS.client
            foreign.certificateVerification = .none  // even ignoring who the server is, the server refuses the stranger
            #expect(await answers(a.replication + "/replication/v1/status", tls: foreign) == false)
            #expect(stranger.nodeID != a.nodeID)

            let ours = try MutualTLS(
                certificatePath: "\(root)/ward-b-bundle/node.crt", privateKeyPath: "\(root)/ward-b-bundle/node.key",
                caPath: "\(root)/ward-b-bundle/ca.crt"
            )
            #expect(await answers(a.replication + "/replication/v1/status", tls: ours.client) == true)

            // A node may push only its own feed: B's feed pushed with A's identity is refused, with B's accepted.
            let trusted = try MutualTLS(
                certificatePath: "\(root)/ward-a-bundle/node.crt", privateKeyPath: "\(root)/ward-a-bundle/node.key",
                caPath: "\(root)/ward-a-bundle/ca.crt"
            )
            let feedOfB = try #require(await TLSRequest.send(.GET, b.replication + "/replication/v1/changes?since=0", tls: trusted.client))
            #expect(feedOfB.status == 200)
            #expect(await TLSRequest.send(.POST, a.replication + "/replication/v1/changes", body: feedOfB.body, tls: trusted.client)?.status == 403)
            #expect(await TLSRequest.send(.POST, a.replication + "/replication/v1/changes", body: feedOfB.body, tls: ours.client)?.status == 200)

            // A node dialled as a discovered peer must present the certificate of exactly the node it
            // advertised, of the dialler's own facility: the TLS handshake checks the host name the CA
            // put in it. (A node of another facility, same CA, cannot follow B as its LAN peer.)
            let elsewhere = try ProvisionedNode.provision("elsewhere", root: root, facility: "HC-L9MLES", ports: (ports[0], ports[1]))
            let otherFacility = try MutualTLS(
                certificatePath: "\(root)/elsewhere-bundle/node.crt", privateKeyPath: "\(root)/elsewhere-bundle/node.key",
                caPath: "\(root)/elsewhere-bundle/ca.crt"
            )
            #expect(elsewhere.nodeID != b.nodeID)
            func handshake(as node: NodeID, from dialler: MutualTLS) async throws -> ReplicaStatus {
                let transport = HTTPPeerTransport.discovered(url: b.replication, node: node, tls: dialler)
                do {
                    let status = try await transport.status()
                    await transport.close()
                    return status
                } catch {
                    await transport.close()
                    throw error
                }
            }
            #expect(try await handshake(as: NodeID(b.nodeID)!, from: trusted).nodeId.description == b.nodeID)
            await #expect(throws: ReplicationError.self, "another node id") { try await handshake(as: NodeID(UUID()), from: trusted) }
            await #expect(throws: ReplicationError.self, "another facility") { try await handshake(as: NodeID(b.nodeID)!, from: otherFacility) }

            // Revoking B at the CA and publishing the signed revocation at A: A refuses B both ways.
            let revoke = try NodeProcess.run("edgectl", ["ca", "revoke", "--dir", "\(root)/ca", "--node", b.nodeID, "--publish", a.replication, "--config", a.config])
            #expect(revoke.status == 0 && revoke.output.contains("Published"), "\(revoke.output)")
            #expect(await answers(a.replication + "/replication/v1/status", tls: ours.client) == false)
            try await http.eventually(15, "A refuses to pull from the revoked B") {
                let sync = try await http.request(.GET, a.api + "/health").object["sync"] as? [String: Any]
                return ((sync?["peers"] as? [[String: Any]])?.first?["state"] as? String) == "refused"
            }
            // A forged revocation (not signed by this CA) is refused, even from a trusted node.
            let forged = try JSONEncoder().encode(NodeRevocation(nodeId: NodeID(UUID()), revokedAt: 1, signature: "AAAA"))
            #expect(await TLSRequest.send(.POST, a.replication + "/replication/v1/revocations", body: Array(forged), tls: trusted.client)?.status == 400)
        }
    }
}

import AsyncHTTPClient
import NIOCore
import NIOSSL
import Replication

enum TLSRequest {
    /// One request with the given TLS client identity: its status and body, or nil when the
    /// connection (the TLS handshake) is refused.
    static func send(_ method: NIOHTTP1.HTTPMethod, _ url: String, body: [UInt8]? = nil, tls: TLSConfiguration) async -> (status: UInt, body: [UInt8])? {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() as EventLoopFuture<Void> }
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        guard let response = try? await client.execute(request, timeout: .seconds(5)),
              let bytes = try? await response.body.collect(upTo: 1 << 24) else { return nil }
        return (response.status.code, Array(bytes.readableBytesView))
    }
}

import NIOHTTP1
