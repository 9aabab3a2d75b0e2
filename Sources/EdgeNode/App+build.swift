import AsyncHTTPClient
import Domain
import Foundation
import Hummingbird
import Logging
import Replication
import ServiceLifecycle

/// The composition root: builds the node (store, services, router) from resolved settings.
func buildApplication(
    _ settings: NodeSettings, clock: any PhysicalClock = SystemClock(), httpClient: HTTPClient = .shared
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "edge-node")
    logger.logLevel = settings.logLevel
    try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
    let secret = try settings.resolvedSecret(logger: logger)
    let store = try ReplicatedStore.open(
        path: settings.databasePath, schema: DomainTables.schema, migrations: DomainTables.registerMigrations,
        proposedNodeID: settings.nodeID, clock: clock
    )
    logger[metadataKey: "edge.node.id"] = "\(store.identity.nodeID)"

    let hasher = PasswordHasher(cost: settings.bcryptCost)
    let accounts = AccountRepository(store: store, clock: clock)
    let directory = HospitalDirectory(store: store)
    let tokens = await TokenService(secret: secret, store: store, clock: clock)
    let resources = HospitalResourcesRepository(store: store, clock: clock)
    var admin = AdminRoutes(accounts: accounts, hasher: hasher)
    let contacts = NodeContacts()
    if settings.demo {
        try await DemoData.seed(accounts: accounts, hasher: hasher, logger: logger)
    }

    let pulled = settings.peers + (settings.hub.map { [$0] } ?? [])
    let board = SyncStatusBoard(addresses: pulled)
    var replicationRoutes = ReplicationRoutes(store: store, board: board, contacts: contacts, authorizer: FacilityOwnership())
    var isRevoked: @Sendable (NodeID) async throws -> Bool = { _ in false }
    var services: [any Service] = []
    let peerClient: HTTPClient
    var discovered: SyncService.DiscoveredPeerSource?
    var facility: HospitalCode?
    var deploymentToken: String? = secret.replicationToken
    if let files = settings.tls {
        // Replication moves to its own port with mutual TLS; the deployment token is not used.
        let tls = try MutualTLS(certificatePath: files.certificate, privateKeyPath: files.privateKey, caPath: files.ca)
        guard tls.identity.nodeID == store.identity.nodeID else {
            throw ReplicationError.invalidConfiguration(
                "the certificate names node \(tls.identity.nodeID), but this data directory is node \(store.identity.nodeID)"
            )
        }
        deploymentToken = nil
        if settings.role == .node { facility = tls.identity.facility }
        let caPEM = tls.caPEM
        isRevoked = { try await NodeRevocations.isRevoked($0, caPEM: caPEM, in: store) }
        replicationRoutes.tls = tls
        admin.tls = tls
        services.append(try ReplicationServer.make(
            routes: replicationRoutes, admin: settings.role == .hub ? admin : nil, tls: tls, host: settings.host, port: settings.replicationPort,
            isRevoked: isRevoked, logger: logger
        ))
        peerClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls.client))
        services.append(HTTPClientService(client: peerClient))
        logger[metadataKey: "edge.facility"] = "\(tls.identity.facility)"
        if settings.discovery && settings.role == .node {
            let browsing = LANDiscoveryService.Browsing(
                peers: DiscoveredPeers(localNodeID: tls.identity.nodeID, facility: tls.identity.facility.value, dropAfter: settings.discoveredPeerTimeout),
                roster: PeerRoster(), staticPeers: Set(pulled)
            )
            services.append(LANDiscoveryService(
                advertisement: .init(
                    name: settings.nodeName, port: UInt16(settings.replicationPort),
                    txt: [
                        "node_id": tls.identity.nodeID.description, "facility": tls.identity.facility.value,
                        "port": "\(settings.replicationPort)", "proto": "\(ReplicationProtocol.version)",
                    ]
                ),
                browsing: browsing, logger: logger
            ))
            discovered = .init(roster: browsing.roster) { HTTPPeerTransport.discovered(url: $0, node: $1, tls: tls) }
        }
    } else {
        peerClient = httpClient
    }
    services.append(SyncService(
        store: store,
        peers: pulled.map { HTTPPeerTransport(address: $0, token: deploymentToken, client: peerClient) },
        hub: settings.hub.map { HTTPPeerTransport(address: $0, token: deploymentToken, client: peerClient) },
        discovered: discovered,
        settings: settings.sync, board: board, logger: logger, isRevoked: isRevoked
    ))

    let router = Router(context: EdgeRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestIDMiddleware())
    let api = router.group("api/v1")
    let authenticated = api.group().add(middleware: AuthenticationMiddleware(tokens: tokens))
    HealthRoutes(
        store: store, board: board,
        node: .init(id: store.identity.nodeID.description, name: settings.nodeName, role: settings.role.rawValue)
    ).register(on: router, api: api)
    AuthRoutes(accounts: accounts, directory: directory, tokens: tokens, hasher: hasher)
        .register(on: api, authenticated: authenticated)
    HospitalRoutes(directory: directory, accounts: accounts, resources: resources, facility: facility).register(on: authenticated)
    if settings.role == .hub {
        HubRoutes(store: store, contacts: contacts, directory: directory, resources: resources).register(on: authenticated)
    }
    if let deploymentToken {
        replicationRoutes.register(on: router, deploymentToken: deploymentToken)
        if settings.role == .hub { admin.register(on: router, deploymentToken: deploymentToken) }
    }

    logger.info("Node ready", metadata: [
        "edge.node.name": "\(settings.nodeName)", "edge.node.role": "\(settings.role.rawValue)",
        "edge.peers": "\(settings.peers.count)", "edge.hub": "\(settings.hub ?? "none")", "edge.data_dir": "\(settings.dataDirectory)",
        "edge.replication": "\(settings.tls == nil ? "deployment token on the API port" : "mutual TLS on port \(settings.replicationPort)")",
    ])
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "cloudcare-edge"),
        services: services,
        logger: logger
    )
}
