import ArgumentParser
import Domain
import Foundation
import Replication

/// `edgectl node`: a node's identity and the bundle it starts from.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Create a node identity and its start-up bundle.",
        subcommands: [Initialize.self, Bundle.self]
    )

    /// `edgectl node init --facility HC-XXXXXX --name ward-2 --dir DIR`.
    struct Initialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Create a node id, key pair and certificate request."
        )

        @Option(help: "The facility's hospital code, e.g. HC-B2631D.") var facility: String
        @Option(help: "The node's name, e.g. ward-2.") var name: String
        @Option(help: "Directory for node.key (0600), node.csr and node.json.") var dir: String

        func run() async throws {
            guard let code = HospitalCode(facility) else { throw ValidationError("facility must be a code like HC-B2631D") }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 64 else { throw ValidationError("name must be 1...64 characters") }
            let nodeID = NodeID(UUID())
            let request = try DeploymentPKI.makeNodeRequest(nodeID: nodeID, facility: code, name: trimmed)
            try CredentialFiles.write(request.privateKey, to: CredentialFiles.path(dir, "node.key"), secret: true)
            try CredentialFiles.write(request.certificate, to: CredentialFiles.path(dir, "node.csr"), secret: false)
            var identity = NodeConfiguration()
            identity.nodeId = nodeID.description
            identity.nodeName = trimmed
            try CredentialFiles.write(try NodeBundle.json(identity), to: CredentialFiles.path(dir, "node.json"), secret: false)
            print("Node \(nodeID) (\(trimmed), \(code)) created in \(dir).")
            print("Next: edgectl ca sign --dir <ca-dir> --request \(CredentialFiles.path(dir, "node.csr")) --out \(CredentialFiles.path(dir, "node.crt"))")
        }
    }

    /// `edgectl node bundle --node-dir DIR --ca-dir CA --out OUT`: what the node starts from.
    struct Bundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bundle",
            abstract: "Assemble a node's start-up directory: config.json, node.key, node.crt, ca.crt (replication over mutual TLS)."
        )

        @Option(help: "The node directory (from `node init`, with node.crt from `ca sign`).") var nodeDir: String
        @Option(help: "The CA directory (only ca.crt is read).") var caDir: String
        @Option(help: "Directory to create.") var out: String
        @Option(help: "The deployment secret (default: EDGE_DEPLOYMENT_SECRET).") var deploymentSecret: String?
        @Option(help: "Where the node keeps its data.") var dataDir = "/var/lib/cloudcare-edge"
        @Option(help: "Listen address.") var host = "0.0.0.0"
        @Option(help: "API port.") var port = 8000
        @Option(help: "Mutual-TLS replication port (peers connect here).") var replicationPort = 8443
        @Option(name: .customLong("peer"), help: "Peer replication URL, e.g. https://10.20.0.11:8443; repeat for several.")
        var peers: [String] = []
        @Option(help: "The hub's replication URL, e.g. https://hub.example.org:8443 (push the feed there, pull the hub's).") var hub: String?
        @Option(help: "node, or hub for the central hub.") var role = "node"

        func validate() throws {
            guard ["node", "hub"].contains(role) else { throw ValidationError("role must be node or hub") }
            if role == "hub", hub != nil { throw ValidationError("the hub does not dial a hub: drop --hub") }
        }

        func run() async throws {
            guard let secret = deploymentSecret ?? ProcessInfo.processInfo.environment["EDGE_DEPLOYMENT_SECRET"] else {
                throw ValidationError("give the deployment secret: --deployment-secret or EDGE_DEPLOYMENT_SECRET")
            }
            _ = try explained { try DeploymentSecret(secret) }
            let caCertificate = try CredentialFiles.read(CredentialFiles.path(caDir, "ca.crt"))
            let certificate = try CredentialFiles.read(CredentialFiles.path(nodeDir, "node.crt"))
            var configuration = try NodeBundle.identity(in: nodeDir)
            let identity = try explained { try DeploymentPKI.identity(of: certificate, issuedBy: caCertificate, at: Date()) }
            guard identity.nodeID.description == configuration.nodeId else {
                throw CLIError("node.crt names node \(identity.nodeID), but \(nodeDir) is node \(configuration.nodeId ?? "?")")
            }
            configuration.role = role
            configuration.hub = hub
            configuration.host = host
            configuration.port = port
            configuration.replicationPort = replicationPort
            let bundle = URL(fileURLWithPath: out).standardizedFileURL.path
            configuration.tlsCertificate = CredentialFiles.path(bundle, "node.crt")
            configuration.tlsPrivateKey = CredentialFiles.path(bundle, "node.key")
            configuration.tlsCaCertificate = CredentialFiles.path(bundle, "ca.crt")
            configuration.dataDir = dataDir
            configuration.peers = peers.isEmpty ? nil : peers
            configuration.deploymentSecret = secret
            try CredentialFiles.write(try NodeBundle.json(configuration), to: CredentialFiles.path(out, "config.json"), secret: true)
            try CredentialFiles.write(
                try CredentialFiles.read(CredentialFiles.path(nodeDir, "node.key")), to: CredentialFiles.path(out, "node.key"), secret: true
            )
            try CredentialFiles.write(certificate, to: CredentialFiles.path(out, "node.crt"), secret: false)
            try CredentialFiles.write(caCertificate, to: CredentialFiles.path(out, "ca.crt"), secret: false)
            print("Bundle for node \(identity.nodeID) (\(identity.facility)) written to \(out); start it with: edge-node --config \(CredentialFiles.path(out, "config.json"))")
        }
    }
}

/// The JSON files of a node directory and bundle, in the node configuration schema.
enum NodeBundle {
    static func json(_ configuration: NodeConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self) + "\n"
    }

    static func identity(in nodeDirectory: String) throws -> NodeConfiguration {
        try explained { try NodeConfiguration.load(path: CredentialFiles.path(nodeDirectory, "node.json")) }
    }
}
