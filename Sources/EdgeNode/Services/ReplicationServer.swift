import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import Replication
import ServiceLifecycle

/// The replication and operator endpoints of a provisioned node: their own server and port, mutual
/// TLS, and a handshake that admits only a current, unrevoked certificate of this deployment's CA.
enum ReplicationServer {
    static func make(
        routes: ReplicationRoutes, admin: AdminRoutes?, tls: MutualTLS, host: String, port: Int,
        isRevoked: @escaping @Sendable (NodeID) async throws -> Bool, logger: Logger
    ) throws -> some Service {
        let router = Router(context: EdgeRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        let root = RouteRegistrar(router: router, gatekeeper: nil)
        routes.register(on: root, deploymentToken: nil)
        admin?.register(on: root, deploymentToken: nil)
        let channel = TLSChannelConfiguration(tlsConfiguration: tls.server) { chain in
            guard let leaf = chain.first, let peer = tls.identity(ofPeer: leaf), try await !isRevoked(peer.nodeID) else {
                return .failed
            }
            return .certificateVerified
        }
        return Application(
            router: router, server: try .tls(configuration: channel),
            configuration: .init(address: .hostname(host, port: port), serverName: "cloudcare-edge-replication"),
            logger: logger
        )
    }
}
