import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Replication

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
    if settings.demo {
        try await DemoData.seed(accounts: accounts, hasher: hasher, logger: logger)
    }

    let board = SyncStatusBoard(addresses: settings.peers)
    let sync = SyncService(
        store: store,
        peers: settings.peers.map { HTTPPeerTransport(address: $0, token: secret.replicationToken, client: httpClient) },
        settings: settings.sync, board: board, logger: logger
    )

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
    HospitalRoutes(directory: directory).register(on: authenticated)
    ReplicationRoutes(store: store, board: board).register(on: router, deploymentToken: secret.replicationToken)

    logger.info("Node ready", metadata: [
        "edge.node.name": "\(settings.nodeName)", "edge.node.role": "\(settings.role.rawValue)",
        "edge.peers": "\(settings.peers.count)", "edge.data_dir": "\(settings.dataDirectory)",
    ])
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "cloudcare-edge"),
        services: [sync],
        logger: logger
    )
}
