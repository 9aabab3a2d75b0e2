import Domain
import Foundation
import Logging
import Replication

/// The resolved, validated settings of one node: command-line flags over `EDGE_*` environment
/// variables over the configuration file over these defaults.
struct NodeSettings: Sendable {
    /// A hospital's node, or the central hub. The hub never dials nodes: they push to it and pull
    /// from it.
    enum Role: String, Sendable, CaseIterable {
        case node, hub
    }

    var nodeID: NodeID?
    var nodeName = ProcessInfo.processInfo.hostName
    var role = Role.node
    var host = "127.0.0.1"
    var port = 8000
    var dataDirectory = "./data"
    var peers: [String] = []
    var hub: String?
    var discovery = true
    /// How long a peer found on the LAN is still retried once it stops being advertised.
    var discoveredPeerTimeout: TimeInterval = 300
    var replicationPort = 8443
    /// The node's mutual-TLS identity; without it replication falls back to the deployment token
    /// on the API port (development and demo only).
    var tls: TLSFiles?
    var deploymentSecret: String?
    var demo = false
    var sync = SyncService.Settings()
    var bcryptCost = PasswordPolicy.bcryptCost
    var logLevel = Logger.Level.info
    /// Browser origins the API answers cross-origin requests from (exact `scheme://host[:port]`).
    var corsOrigins: [String] = []
    /// The largest medical document accepted, in bytes.
    var documentMaximumBytes = 50 << 20
    /// The largest DocAssist backup accepted.
    var backupMaximumBytes = 1 << 30
    var backupUploadLimit = RateLimit(requests: 5, per: 60)
    var backupDownloadLimit = RateLimit(requests: 10, per: 60)
    /// The newest backups kept per account and device; older ones are deleted (`nil`: all kept).
    var backupsKeptPerDevice: Int? = 10
    /// Whether documents' files are fetched from the peers as their records arrive (else on first download).
    var blobPrefetch = true
    /// Whose calendar days the wearable reads count in, unless a request names a zone.
    var timeZone = TimeZone.current
    /// Login attempts per minute: failed ones per account (the email tried), all per client address.
    var loginLimitPerAccount = RateLimit(requests: 10, per: 60)
    var loginLimitPerAddress = RateLimit(requests: 30, per: 60)

    /// Applies a configuration, rejecting values that cannot work.
    mutating func apply(_ configuration: NodeConfiguration) throws {
        if let value = configuration.nodeId {
            guard let parsed = NodeID(value) else { throw ReplicationError.invalidConfiguration("node id \(value) is not a UUID") }
            nodeID = parsed
        }
        if let value = configuration.nodeName { nodeName = value }
        if let value = configuration.role {
            guard let parsed = Role(rawValue: value) else {
                throw ReplicationError.invalidConfiguration("role must be one of: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            role = parsed
        }
        if let value = configuration.host { host = value }
        if let value = configuration.port {
            guard (1...65535).contains(value) else { throw ReplicationError.invalidConfiguration("port must be 1...65535") }
            port = value
        }
        if let value = configuration.dataDir { dataDirectory = value }
        if let value = configuration.peers { peers = try value.map(Self.replicationURL) }
        if let value = configuration.hub { hub = try Self.replicationURL(value) }
        if let value = configuration.discovery { discovery = value }
        if let value = configuration.replicationPort {
            guard (1...65535).contains(value) else { throw ReplicationError.invalidConfiguration("replication port must be 1...65535") }
            replicationPort = value
        }
        switch (configuration.tlsCertificate, configuration.tlsPrivateKey, configuration.tlsCaCertificate) {
        case (nil, nil, nil): break
        case let (certificate?, privateKey?, ca?): tls = TLSFiles(certificate: certificate, privateKey: privateKey, ca: ca)
        default: throw ReplicationError.invalidConfiguration("set all three of tls_certificate, tls_private_key and tls_ca_certificate")
        }
        if let value = configuration.deploymentSecret { deploymentSecret = value }
        if let value = configuration.demo { demo = value }
        if let value = configuration.syncBatchLimit {
            guard (1...ReplicationRoutes.maximumBatchLimit).contains(value) else {
                throw ReplicationError.invalidConfiguration("sync batch limit must be 1...\(ReplicationRoutes.maximumBatchLimit)")
            }
            sync.batchLimit = value
        }
        if let value = configuration.syncWaitSeconds {
            guard (1...ReplicationRoutes.maximumWaitSeconds).contains(value) else {
                throw ReplicationError.invalidConfiguration("sync wait must be 1...\(ReplicationRoutes.maximumWaitSeconds) seconds")
            }
            sync.waitSeconds = value
        }
        if let value = configuration.bcryptCost {
            guard (4...31).contains(value) else { throw ReplicationError.invalidConfiguration("bcrypt cost must be 4...31") }
            bcryptCost = UInt8(value)
        }
        if let value = configuration.documentMaxMegabytes {
            guard (1...4096).contains(value) else { throw ReplicationError.invalidConfiguration("document size limit must be 1...4096 MB") }
            documentMaximumBytes = value << 20
        }
        if let value = configuration.backupMaxMegabytes {
            guard (1...65536).contains(value) else { throw ReplicationError.invalidConfiguration("backup size limit must be 1...65536 MB") }
            backupMaximumBytes = value << 20
        }
        if let value = configuration.backupUploadsPerMinute { backupUploadLimit = try Self.perMinute(value, "backup uploads per minute") }
        if let value = configuration.backupDownloadsPerMinute { backupDownloadLimit = try Self.perMinute(value, "backup downloads per minute") }
        if let value = configuration.backupsKeptPerDevice {
            guard value >= 0 else { throw ReplicationError.invalidConfiguration("backups kept per device must be 0 (all) or more") }
            backupsKeptPerDevice = value == 0 ? nil : value
        }
        if let value = configuration.blobPrefetch { blobPrefetch = value }
        if let value = configuration.timeZone {
            guard let zone = TimeZone(identifier: value) else { throw ReplicationError.invalidConfiguration("unknown time zone \(value)") }
            timeZone = zone
        }
        if let value = configuration.corsOrigins { corsOrigins = try value.map(CORSPolicy.origin) }
        if let value = configuration.loginLimitPerAccount { loginLimitPerAccount = try Self.perMinute(value, "login limit per account") }
        if let value = configuration.loginLimitPerAddress { loginLimitPerAddress = try Self.perMinute(value, "login limit per address") }
        if let value = configuration.logLevel {
            guard let level = Logger.Level(rawValue: value) else { throw ReplicationError.invalidConfiguration("unknown log level \(value)") }
            logLevel = level
        }
    }

    /// Checks the settings together: a hub has no hub of its own.
    func validated() throws -> NodeSettings {
        if role == .hub, hub != nil { throw ReplicationError.invalidConfiguration("a hub does not push to another hub") }
        return self
    }

    private static func perMinute(_ value: Int, _ name: String) throws -> RateLimit {
        guard (1...100_000).contains(value) else { throw ReplicationError.invalidConfiguration("\(name) must be 1...100000 per minute") }
        return RateLimit(requests: value, per: 60)
    }

    private static func replicationURL(_ text: String) throws -> String {
        guard URL(string: text)?.scheme.map({ ["http", "https"].contains($0) }) == true else {
            throw ReplicationError.invalidConfiguration("\(text) is not an http(s) URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    var databasePath: String { (dataDirectory as NSString).appendingPathComponent("db.sqlite") }

    /// The deployment secret: configured, or (demo mode only) generated once and kept in the data
    /// directory with owner-only permissions.
    func resolvedSecret(logger: Logger) throws -> DeploymentSecret {
        if let deploymentSecret { return try DeploymentSecret(deploymentSecret) }
        guard demo else {
            throw ReplicationError.invalidConfiguration("set EDGE_DEPLOYMENT_SECRET (or --deployment-secret): every node of a deployment shares it")
        }
        let path = (dataDirectory as NSString).appendingPathComponent("deployment-secret")
        if let stored = try? String(contentsOfFile: path, encoding: .utf8) {
            return try DeploymentSecret(stored.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let secret = DeploymentSecret.generate()
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ReplicationError.invalidConfiguration("cannot write \(path)")
        }
        logger.warning("No deployment secret configured: generated one for this demo node; set EDGE_DEPLOYMENT_SECRET on every node to replicate")
        return try DeploymentSecret(secret)
    }
}

/// Paths of the PEM files that make a node's mutual-TLS identity.
struct TLSFiles: Sendable {
    let certificate: String
    let privateKey: String
    let ca: String
}
