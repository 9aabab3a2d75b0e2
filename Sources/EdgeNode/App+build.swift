import AsyncHTTPClient
import Domain
import Foundation
import Hummingbird
import Logging
import Replication
import ServiceLifecycle

/// A node put together: its router (every API route, documented in `catalog`) and the services
/// that run beside it.
struct BuiltNode {
    let router: Router<EdgeRequestContext>
    let catalog: APICatalog
    let services: [any Service]
    let address: BindAddress
    let logger: Logger

    /// The HTTP server running the router and the services.
    var application: some ApplicationProtocol {
        Application(router: router, configuration: .init(address: address, serverName: "cloudcare-edge"), services: services, logger: logger)
    }
}

/// The composition root: builds the node (store, services, router) from resolved settings.
func buildNode(
    _ settings: NodeSettings, clock: any PhysicalClock = SystemClock(), httpClient: HTTPClient = .shared
) async throws -> BuiltNode {
    var logger = Logger(label: "edge-node")
    logger.logLevel = settings.logLevel
    try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
    let secret = try settings.resolvedSecret(logger: logger)
    let metricVersions = MetricVersions()
    let store = try ReplicatedStore.open(
        path: settings.databasePath, schema: DomainTables.schema, migrations: DomainTables.registerMigrations,
        proposedNodeID: settings.nodeID, clock: clock, derivations: DomainTables.derivations(versions: metricVersions)
    )
    logger[metadataKey: "edge.node.id"] = "\(store.identity.nodeID)"

    let hasher = PasswordHasher(cost: settings.bcryptCost)
    let accounts = AccountRepository(store: store, clock: clock)
    let audit = AuditTrail(store: store, clock: clock)
    let patients = PatientRepository(store: store, clock: clock, audit: audit)
    let doctors = DoctorRepository(store: store, clock: clock, audit: audit)
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
    let blobs = try BlobStore(directory: settings.dataDirectory)
    let blobReferences = BlobReferences(store: store)
    let blobLimit = max(settings.documentMaximumBytes, settings.backupMaximumBytes)
    var replicationRoutes = ReplicationRoutes(store: store, board: board, contacts: contacts, authorizer: FacilityOwnership())
    replicationRoutes.blobs = (blobs, blobReferences, blobLimit)
    var isRevoked: @Sendable (NodeID) async throws -> Bool = { _ in false }
    var services: [any Service] = []
    let peerClient: HTTPClient
    var discovered: SyncService.DiscoveredPeerSource?
    /// Transports to the LAN's discovered peers at this moment (for fetching blobs).
    var discoveredTransports: @Sendable () -> [HTTPPeerTransport] = { [] }
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
            discoveredTransports = { [roster = browsing.roster] in
                roster.wanted.sorted { $0.key < $1.key }.map { HTTPPeerTransport.discovered(url: $0.key, node: $0.value, tls: tls) }
            }
        }
    } else {
        peerClient = httpClient
    }
    let staticPeers = settings.peers.map { HTTPPeerTransport(address: $0, token: deploymentToken, client: peerClient) }
    let hub = settings.hub.map { HTTPPeerTransport(address: $0, token: deploymentToken, client: peerClient) }
    services.append(SyncService(
        store: store, peers: staticPeers + (hub.map { [$0] } ?? []), hub: hub, discovered: discovered,
        settings: settings.sync, board: board, logger: logger, isRevoked: isRevoked
    ))

    let router = Router(context: EdgeRequestContext.self)
    router.add(middleware: CORSMiddleware(policy: CORSPolicy(allowedOrigins: Set(settings.corsOrigins))))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestIDMiddleware())
    let catalog = APICatalog()
    let root = RouteRegistrar(router: router, catalog: catalog, gatekeeper: Gatekeeper(tokens: tokens, accounts: accounts, principals: PrincipalCache(store: store)))
    let api = root.group("api/v1")
    let loginLimits = RateLimitMiddleware(rules: [
        .perAddress(RateLimiter(settings.loginLimitPerAddress, clock: clock)),
        .failedLoginsPerAccount(RateLimiter(settings.loginLimitPerAccount, clock: clock)),
    ])
    HealthRoutes(
        store: store, board: board,
        node: .init(id: store.identity.nodeID.description, name: settings.nodeName, role: settings.role.rawValue)
    ).register(root: root, api: api)
    AuthRoutes(
        accounts: accounts, patients: patients, doctors: doctors, directory: directory,
        tokens: tokens, hasher: hasher, aadhaar: AadhaarProtector(secret: secret), audit: audit, clock: clock
    ).register(root: root, api: api, loginLimits: loginLimits)
    let doctorHospitals = DoctorHospitalRepository(store: store, clock: clock, audit: audit)
    HospitalRoutes(directory: directory, resources: resources, doctors: doctors, doctorHospitals: doctorHospitals, facility: facility)
        .register(on: api)
    AuditRoutes(audit: audit, patients: patients, directory: directory).register(on: api)
    let consents = ConsentRepository(store: store, clock: clock, audit: audit)
    let emergencies = EmergencyAccessRepository(store: store, clock: clock, audit: audit)
    let patientAccess = PatientDataAccess(patients: patients, consents: consents, emergencies: emergencies, clock: clock)
    PatientRoutes(
        patients: patients, access: patientAccess, audit: audit, clock: clock
    ).register(on: api)
    let records = MedicalRecordRepository(store: store, clock: clock, audit: audit)
    // The LAN first (static and discovered peers), the hub last.
    let blobFetcher = BlobFetcher(
        sources: { [discoveredTransports] in staticPeers + discoveredTransports() + (hub.map { [$0] } ?? []) }, blobs: blobs,
        limit: blobLimit, logger: logger
    )
    if settings.blobPrefetch && settings.role == .node {
        services.append(BlobPrefetchService(references: blobReferences, blobs: blobs, fetcher: blobFetcher, notifier: store.notifier, logger: logger))
    }
    services.append(BlobCollectionService(references: blobReferences, blobs: blobs, logger: logger))
    if let hub {
        services.append(BlobPushService(hub: hub, store: store, references: blobReferences, blobs: blobs, logger: logger))
    }
    DocumentRoutes(
        records: records, blobs: blobs, fetcher: blobFetcher,
        access: patientAccess, audit: audit, clock: clock, maximumBytes: settings.documentMaximumBytes
    ).register(on: api)
    BackupRoutes(
        backups: BackupRepository(store: store, clock: clock, audit: audit), blobs: blobs, fetcher: blobFetcher, audit: audit,
        maximumBytes: settings.backupMaximumBytes, keptPerDevice: settings.backupsKeptPerDevice,
        uploads: RateLimiter(settings.backupUploadLimit, clock: clock), downloads: RateLimiter(settings.backupDownloadLimit, clock: clock)
    ).register(root: root, api: api)
    EmergencyAccessRoutes(emergencies: emergencies, patients: patients, doctorHospitals: doctorHospitals, directory: directory, clock: clock)
        .register(on: api)
    let admissions = AdmissionRepository(store: store, clock: clock, audit: audit)
    AdmissionRoutes(
        admissions: admissions, patients: patients, directory: directory, resources: resources, doctorHospitals: doctorHospitals,
        audit: audit, facility: facility
    ).register(on: api)
    NotificationRoutes(consents: consents, admissions: admissions, emergencies: emergencies, patients: patients, doctors: doctors, audit: audit)
        .register(on: api)
    ConsentRoutes(consents: consents, patients: patients, audit: audit, clock: clock, offersCleanup: settings.demo).register(on: api)
    DoctorRoutes(
        doctors: doctors, patients: patients, consents: consents, doctorHospitals: doctorHospitals, admissions: admissions, directory: directory,
        audit: audit, clock: clock
    ).register(on: api)
    let metrics = HealthMetricRepository(store: store, audit: audit)
    let wearables = WearableDeviceRepository(store: store, clock: clock, audit: audit)
    WearableRoutes(metrics: metrics, devices: wearables, access: patientAccess, clock: clock).register(on: api)
    DevicePairingRoutes(pairings: DevicePairingRepository(store: store, clock: clock, audit: audit), access: patientAccess).register(on: api)
    WearableMetricRoutes(
        metrics: metrics, access: patientAccess, audit: audit, clock: clock, zone: settings.timeZone,
        comprehensiveResponses: ComprehensiveResponseCache(versions: metricVersions)
    ).register(on: api)
    PatientOverviewRoutes(
        patients: patients, records: records, admissions: admissions, devices: wearables, metrics: metrics, access: patientAccess, audit: audit,
        clock: clock
    ).register(on: api)
    if settings.role == .hub {
        HubRoutes(store: store, contacts: contacts, directory: directory, resources: resources).register(on: api)
    }
    if let deploymentToken {
        replicationRoutes.register(on: root, deploymentToken: deploymentToken)
        if settings.role == .hub { admin.register(on: root, deploymentToken: deploymentToken) }
    }
    DocsRoutes(catalog: catalog, version: HealthRoutes.apiVersion).register(on: root)

    logger.info("Node ready", metadata: [
        "edge.node.name": "\(settings.nodeName)", "edge.node.role": "\(settings.role.rawValue)",
        "edge.peers": "\(settings.peers.count)", "edge.hub": "\(settings.hub ?? "none")", "edge.data_dir": "\(settings.dataDirectory)",
        "edge.replication": "\(settings.tls == nil ? "deployment token on the API port" : "mutual TLS on port \(settings.replicationPort)")",
    ])
    return BuiltNode(router: router, catalog: catalog, services: services, address: .hostname(settings.host, port: settings.port), logger: logger)
}
