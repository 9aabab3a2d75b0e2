import Foundation

/// The node configuration file's schema (JSON, snake_case keys), shared by `edge-node` and
/// `edgectl`. Every field is optional: a node resolves flags over environment variables over this
/// file over built-in defaults.
public struct NodeConfiguration: Codable, Sendable, Equatable {
    /// The node id its certificate names; a new database takes it as its replica id.
    public var nodeId: String?
    public var nodeName: String?
    /// `node` (a hospital's edge node) or `hub` (the central hub every node pushes to and pulls from).
    public var role: String?
    public var host: String?
    public var port: Int?
    public var dataDir: String?
    /// Base URLs of the peers to pull from: their replication endpoints, e.g.
    /// `https://10.0.0.12:8443` with mutual TLS (or `http://10.0.0.12:8000` without).
    public var peers: [String]?
    /// The hub's replication URL: this node pushes its feed there and pulls the hub's.
    public var hub: String?
    /// Advertise the node on the LAN with DNS-SD (nodes with TLS files only; default on).
    public var discovery: Bool?
    /// The mutual-TLS port of the replication endpoints (used when the TLS files are set).
    public var replicationPort: Int?
    /// PEM files of the node's certificate, its private key and the deployment CA certificate;
    /// when set, replication runs only over mutual TLS on `replication_port`.
    public var tlsCertificate: String?
    public var tlsPrivateKey: String?
    public var tlsCaCertificate: String?
    /// The deployment's shared secret, from which token-signing and replication keys derive.
    public var deploymentSecret: String?
    /// Seed the API contract's demo hospitals on start.
    public var demo: Bool?
    public var syncBatchLimit: Int?
    public var syncWaitSeconds: Int?
    public var bcryptCost: Int?
    public var logLevel: String?
    /// Browser origins allowed to call the API (CORS); none by default.
    public var corsOrigins: [String]?
    /// Login attempts allowed per minute for one account, and from one client address.
    public var loginLimitPerAccount: Int?
    public var loginLimitPerAddress: Int?
    /// The largest medical document accepted, in MiB (default 50).
    public var documentMaxMegabytes: Int?
    /// DocAssist backups: the largest accepted, in MiB (default 1024); uploads and downloads per
    /// minute for one account (default 5 and 10); backups kept per device (default 10; 0 keeps all).
    public var backupMaxMegabytes: Int?
    public var backupUploadsPerMinute: Int?
    public var backupDownloadsPerMinute: Int?
    public var backupsKeptPerDevice: Int?
    /// Fetch every document's file from the peers as soon as its record arrives (default on);
    /// off, a file is fetched on its first download here.
    public var blobPrefetch: Bool?
    /// The time zone whose calendar days the wearable reads use by default (IANA name).
    public var timeZone: String?

    public init() {}

    /// The environment variable of each setting, as documented in the README.
    public static let environmentKeys: [(key: String, field: String)] = [
        ("EDGE_NODE_ID", "node_id"), ("EDGE_NODE_NAME", "node_name"), ("EDGE_ROLE", "role"), ("EDGE_HOST", "host"), ("EDGE_PORT", "port"),
        ("EDGE_DATA_DIR", "data_dir"), ("EDGE_PEERS", "peers"), ("EDGE_HUB", "hub"), ("EDGE_DISCOVERY", "discovery"), ("EDGE_REPLICATION_PORT", "replication_port"),
        ("EDGE_TLS_CERTIFICATE", "tls_certificate"), ("EDGE_TLS_PRIVATE_KEY", "tls_private_key"),
        ("EDGE_TLS_CA_CERTIFICATE", "tls_ca_certificate"), ("EDGE_DEPLOYMENT_SECRET", "deployment_secret"),
        ("EDGE_DEMO", "demo"), ("EDGE_SYNC_BATCH_LIMIT", "sync_batch_limit"),
        ("EDGE_SYNC_WAIT_SECONDS", "sync_wait_seconds"), ("EDGE_BCRYPT_COST", "bcrypt_cost"), ("EDGE_LOG_LEVEL", "log_level"),
        ("EDGE_CORS_ORIGINS", "cors_origins"), ("EDGE_LOGIN_LIMIT_PER_ACCOUNT", "login_limit_per_account"),
        ("EDGE_LOGIN_LIMIT_PER_ADDRESS", "login_limit_per_address"), ("EDGE_DOCUMENT_MAX_MEGABYTES", "document_max_megabytes"),
        ("EDGE_BLOB_PREFETCH", "blob_prefetch"), ("EDGE_TIME_ZONE", "time_zone"), ("EDGE_BACKUP_MAX_MEGABYTES", "backup_max_megabytes"),
        ("EDGE_BACKUP_UPLOADS_PER_MINUTE", "backup_uploads_per_minute"), ("EDGE_BACKUP_DOWNLOADS_PER_MINUTE", "backup_downloads_per_minute"),
        ("EDGE_BACKUPS_KEPT_PER_DEVICE", "backups_kept_per_device"),
    ]

    /// Reads a configuration file; unknown keys are rejected so typos do not pass silently.
    public static func load(path: String) throws -> NodeConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ReplicationError.invalidConfiguration("cannot read configuration file \(path)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReplicationError.invalidConfiguration("\(path) is not a JSON object")
        }
        let known = Set(environmentKeys.map(\.field))
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw ReplicationError.invalidConfiguration("\(path): unknown setting \"\(unknown)\"")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(NodeConfiguration.self, from: data) } catch {
            throw ReplicationError.invalidConfiguration("\(path): \(error)")
        }
    }

    /// The settings given by `EDGE_*` environment variables.
    public static func fromEnvironment(_ environment: [String: String]) throws -> NodeConfiguration {
        var configuration = NodeConfiguration()
        func int(_ key: String) throws -> Int? {
            guard let raw = environment[key] else { return nil }
            guard let value = Int(raw) else { throw ReplicationError.invalidConfiguration("\(key) must be a whole number") }
            return value
        }
        configuration.nodeId = environment["EDGE_NODE_ID"]
        configuration.nodeName = environment["EDGE_NODE_NAME"]
        configuration.role = environment["EDGE_ROLE"]
        configuration.host = environment["EDGE_HOST"]
        configuration.port = try int("EDGE_PORT")
        configuration.dataDir = environment["EDGE_DATA_DIR"]
        func list(_ key: String) -> [String]? {
            environment[key].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        configuration.peers = list("EDGE_PEERS")
        configuration.hub = environment["EDGE_HUB"]
        configuration.discovery = environment["EDGE_DISCOVERY"].map { ["1", "true", "yes"].contains($0.lowercased()) }
        configuration.replicationPort = try int("EDGE_REPLICATION_PORT")
        configuration.tlsCertificate = environment["EDGE_TLS_CERTIFICATE"]
        configuration.tlsPrivateKey = environment["EDGE_TLS_PRIVATE_KEY"]
        configuration.tlsCaCertificate = environment["EDGE_TLS_CA_CERTIFICATE"]
        configuration.deploymentSecret = environment["EDGE_DEPLOYMENT_SECRET"]
        configuration.demo = environment["EDGE_DEMO"].map { ["1", "true", "yes"].contains($0.lowercased()) }
        configuration.syncBatchLimit = try int("EDGE_SYNC_BATCH_LIMIT")
        configuration.syncWaitSeconds = try int("EDGE_SYNC_WAIT_SECONDS")
        configuration.bcryptCost = try int("EDGE_BCRYPT_COST")
        configuration.logLevel = environment["EDGE_LOG_LEVEL"]
        configuration.corsOrigins = list("EDGE_CORS_ORIGINS")
        configuration.loginLimitPerAccount = try int("EDGE_LOGIN_LIMIT_PER_ACCOUNT")
        configuration.loginLimitPerAddress = try int("EDGE_LOGIN_LIMIT_PER_ADDRESS")
        configuration.documentMaxMegabytes = try int("EDGE_DOCUMENT_MAX_MEGABYTES")
        configuration.blobPrefetch = environment["EDGE_BLOB_PREFETCH"].map { ["1", "true", "yes"].contains($0.lowercased()) }
        configuration.timeZone = environment["EDGE_TIME_ZONE"]
        configuration.backupMaxMegabytes = try int("EDGE_BACKUP_MAX_MEGABYTES")
        configuration.backupUploadsPerMinute = try int("EDGE_BACKUP_UPLOADS_PER_MINUTE")
        configuration.backupDownloadsPerMinute = try int("EDGE_BACKUP_DOWNLOADS_PER_MINUTE")
        configuration.backupsKeptPerDevice = try int("EDGE_BACKUPS_KEPT_PER_DEVICE")
        return configuration
    }
}
