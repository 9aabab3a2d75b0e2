import ArgumentParser
import Foundation
import Hummingbird
import Replication

/// `edge-node`: the CloudCare Edge server. `serve` (the default) runs a node or the hub;
/// `bench` measures replication throughput on this machine.
@main
struct EdgeNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge-node",
        abstract: "CloudCare Edge: an offline-first replicated node for hospitals.",
        subcommands: [Serve.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}

/// Reads configuration (flags, environment, file) and runs the node until SIGINT/SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a node (the default).")

    @Option(help: "Configuration file (JSON). Env: EDGE_CONFIG") var config: String?
    @Option(help: "Node id (from the node's certificate bundle). Env: EDGE_NODE_ID") var nodeId: String?
    @Option(help: "Name shown in health and status. Env: EDGE_NODE_NAME") var nodeName: String?
    @Option(help: "node or hub. Env: EDGE_ROLE") var role: String?
    @Option(help: "Address to listen on (default 127.0.0.1). Env: EDGE_HOST") var host: String?
    @Option(help: "Port (default 8000). Env: EDGE_PORT") var port: Int?
    @Option(help: "Data directory (default ./data). Env: EDGE_DATA_DIR") var dataDir: String?
    @Option(name: .customLong("peer"), help: "Peer base URL to replicate with; repeat for several. Env: EDGE_PEERS (comma-separated)")
    var peers: [String] = []
    @Option(help: "The hub's replication URL: push the local feed there and pull the hub's. Env: EDGE_HUB") var hub: String?
    @Flag(inversion: .prefixedNo, help: "Advertise on the LAN with DNS-SD (nodes with TLS files; default on). Env: EDGE_DISCOVERY")
    var discovery: Bool?
    @Option(help: "Mutual-TLS replication port (default 8443). Env: EDGE_REPLICATION_PORT") var replicationPort: Int?
    @Option(help: "The node's certificate (PEM). Env: EDGE_TLS_CERTIFICATE") var tlsCertificate: String?
    @Option(help: "The node's private key (PEM). Env: EDGE_TLS_PRIVATE_KEY") var tlsPrivateKey: String?
    @Option(help: "The deployment CA certificate (PEM). Env: EDGE_TLS_CA_CERTIFICATE") var tlsCaCertificate: String?
    @Option(help: "Secret shared by every node of the deployment. Env: EDGE_DEPLOYMENT_SECRET") var deploymentSecret: String?
    @Flag(help: "Seed the demo hospitals. Env: EDGE_DEMO=1") var demo = false
    @Option(help: "Feed entries per sync batch (default 2000). Env: EDGE_SYNC_BATCH_LIMIT") var syncBatchLimit: Int?
    @Option(help: "Seconds a caught-up pull waits at a peer (default 20). Env: EDGE_SYNC_WAIT_SECONDS") var syncWaitSeconds: Int?
    @Option(help: "bcrypt cost for new passwords (default 12). Env: EDGE_BCRYPT_COST") var bcryptCost: Int?
    @Option(help: "trace, debug, info, notice, warning, error. Env: EDGE_LOG_LEVEL") var logLevel: String?
    @Option(name: .customLong("cors-origin"), help: "A browser origin allowed to call the API; repeat for several. Env: EDGE_CORS_ORIGINS (comma-separated)")
    var corsOrigins: [String] = []
    @Option(help: "Login attempts per minute per account (default 10). Env: EDGE_LOGIN_LIMIT_PER_ACCOUNT") var loginLimitPerAccount: Int?
    @Option(help: "Login attempts per minute per client address (default 30). Env: EDGE_LOGIN_LIMIT_PER_ADDRESS") var loginLimitPerAddress: Int?
    @Option(help: "Largest medical document in MiB (default 50). Env: EDGE_DOCUMENT_MAX_MEGABYTES") var documentMaxMegabytes: Int?
    @Option(help: "Largest DocAssist backup in MiB (default 1024). Env: EDGE_BACKUP_MAX_MEGABYTES") var backupMaxMegabytes: Int?
    @Option(help: "Backup uploads per minute per account (default 5). Env: EDGE_BACKUP_UPLOADS_PER_MINUTE") var backupUploadsPerMinute: Int?
    @Option(help: "Backup downloads per minute per account (default 10). Env: EDGE_BACKUP_DOWNLOADS_PER_MINUTE") var backupDownloadsPerMinute: Int?
    @Option(help: "Backups kept per device, the newest (default 10; 0 keeps all). Env: EDGE_BACKUPS_KEPT_PER_DEVICE") var backupsKeptPerDevice: Int?
    @Flag(inversion: .prefixedNo, help: "Fetch documents' files from the peers as their records arrive (default on). Env: EDGE_BLOB_PREFETCH")
    var blobPrefetch: Bool?
    @Option(help: "Time zone of the wearable reads' calendar days (IANA, default the system's). Env: EDGE_TIME_ZONE") var timeZone: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = NodeSettings()
        do {
            if let path = config ?? environment["EDGE_CONFIG"] {
                try settings.apply(try NodeConfiguration.load(path: path))
            }
            try settings.apply(try NodeConfiguration.fromEnvironment(environment))
            try settings.apply(flags)
        } catch ReplicationError.invalidConfiguration(let reason) {
            throw ValidationError(reason)
        }
        let app: any ApplicationProtocol
        do { app = try await buildNode(try settings.validated()).application } catch ReplicationError.invalidConfiguration(let reason) {
            throw ValidationError(reason)
        }
        try await app.runService()
    }

    private var flags: NodeConfiguration {
        var flags = NodeConfiguration()
        flags.nodeId = nodeId
        flags.nodeName = nodeName
        flags.role = role
        flags.host = host
        flags.port = port
        flags.dataDir = dataDir
        flags.peers = peers.isEmpty ? nil : peers
        flags.hub = hub
        flags.discovery = discovery
        flags.replicationPort = replicationPort
        flags.tlsCertificate = tlsCertificate
        flags.tlsPrivateKey = tlsPrivateKey
        flags.tlsCaCertificate = tlsCaCertificate
        flags.deploymentSecret = deploymentSecret
        flags.demo = demo ? true : nil
        flags.syncBatchLimit = syncBatchLimit
        flags.syncWaitSeconds = syncWaitSeconds
        flags.bcryptCost = bcryptCost
        flags.logLevel = logLevel
        flags.corsOrigins = corsOrigins.isEmpty ? nil : corsOrigins
        flags.loginLimitPerAccount = loginLimitPerAccount
        flags.loginLimitPerAddress = loginLimitPerAddress
        flags.documentMaxMegabytes = documentMaxMegabytes
        flags.backupMaxMegabytes = backupMaxMegabytes
        flags.backupUploadsPerMinute = backupUploadsPerMinute
        flags.backupDownloadsPerMinute = backupDownloadsPerMinute
        flags.backupsKeptPerDevice = backupsKeptPerDevice
        flags.blobPrefetch = blobPrefetch
        flags.timeZone = timeZone
        return flags
    }
}
