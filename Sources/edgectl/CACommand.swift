import ArgumentParser
import Foundation
import Replication

/// `edgectl ca`: the deployment's certificate authority.
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Create the deployment CA and sign node certificates.",
        subcommands: [Initialize.self, Sign.self, Revoke.self]
    )

    /// `edgectl ca init --dir DIR`: a new CA key (keep it offline) and certificate.
    struct Initialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the deployment CA.")

        @Option(help: "Directory for ca.key (0600) and ca.crt.") var dir: String
        @Option(help: "The CA's name.") var name = "CloudCare Edge deployment CA"
        @Option(help: "Validity in years.") var years = 10

        func run() async throws {
            guard (1...30).contains(years) else { throw ValidationError("years must be 1...30") }
            let ca = try DeploymentPKI.makeCertificateAuthority(name: name, now: Date(), validity: Double(years) * 365 * 86_400)
            try CredentialFiles.write(ca.privateKey, to: CredentialFiles.path(dir, "ca.key"), secret: true)
            try CredentialFiles.write(ca.certificate, to: CredentialFiles.path(dir, "ca.crt"), secret: false)
            print("Deployment CA created in \(dir): ca.crt (give to every node), ca.key (keep offline).")
        }
    }

    /// `edgectl ca sign --dir CA_DIR --request node.csr --out node.crt`.
    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sign", abstract: "Issue a node certificate for a request.")

        @Option(help: "The CA directory (ca.key, ca.crt).") var dir: String
        @Option(help: "The node's certificate request (from `edgectl node init`).") var request: String
        @Option(help: "Where to write the node certificate.") var out: String
        @Option(help: "Validity in days.") var days = 825

        func run() async throws {
            guard (1...3650).contains(days) else { throw ValidationError("days must be 1...3650") }
            let ca = PEMKeyPair(
                certificate: try CredentialFiles.read(CredentialFiles.path(dir, "ca.crt")),
                privateKey: try CredentialFiles.read(CredentialFiles.path(dir, "ca.key"))
            )
            let requestPEM = try CredentialFiles.read(request)
            let certificate = try explained {
                try DeploymentPKI.sign(request: requestPEM, with: ca, now: Date(), validity: Double(days) * 86_400)
            }
            let identity = try explained { try DeploymentPKI.identity(of: certificate, issuedBy: ca.certificate, at: Date()) }
            try CredentialFiles.write(certificate, to: out, secret: false)
            print("Issued \(out) for node \(identity.nodeID) of facility \(identity.facility), valid \(days) days.")
        }
    }

    /// `edgectl ca revoke --dir CA_DIR --node ID [--publish URL --config bundle/config.json]`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a node's certificate; publish the signed revocation to any node and it replicates to all."
        )

        @Option(help: "The CA directory (ca.key).") var dir: String
        @Option(help: "The node id to revoke.") var node: String
        @Option(help: "A node's replication URL to publish to, e.g. https://10.20.0.11:8443.") var publish: String?
        @OptionGroup var connection: NodeConnection

        struct Answer: Decodable {
            let nodeId: String
            let recorded: Bool
        }

        func run() async throws {
            guard let nodeID = NodeID(node) else { throw ValidationError("node must be a node id (UUID)") }
            let revocation = try NodeRevocation.issue(
                revoking: nodeID, at: Int64(Date().timeIntervalSince1970 * 1000),
                caPrivateKeyPEM: try CredentialFiles.read(CredentialFiles.path(dir, "ca.key"))
            )
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let file = CredentialFiles.path(dir, "revocation-\(nodeID).json")
            try CredentialFiles.write(String(decoding: try encoder.encode(revocation), as: UTF8.self), to: file, secret: false)
            print("Revocation of node \(nodeID) signed: \(file)")
            guard let publish else { return }
            let answer = try await connection.post(revocation, to: publish, path: "/replication/v1/revocations", decoding: Answer.self)
            print(answer.recorded ? "Published to \(publish); it replicates to every node." : "\(publish) already had it.")
        }
    }
}
