import ArgumentParser
import Replication

/// `edgectl verify --node A --node B ...`: proves replicas equal by comparing their digests.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Compare the replica digests of two or more nodes; exits 1 when they differ."
    )

    @Option(name: .customLong("node"), help: "A node's base URL; give two or more.") var nodes: [String]
    @OptionGroup var connection: NodeConnection

    func validate() throws {
        guard nodes.count >= 2 else { throw ValidationError("give at least two --node URLs") }
    }

    func run() async throws {
        var digests: [(node: String, digest: ReplicaDigest)] = []
        for node in nodes {
            digests.append((node, try await connection.get(ReplicaDigest.self, node: node, path: "/replication/v1/digest")))
        }
        let reference = digests[0].digest
        for (node, digest) in digests {
            let rows = digest.tables.map { "\($0.table) \($0.rows)" + ($0.tombstones > 0 ? "+\($0.tombstones)†" : "") }
            print("\(digest.combined.prefix(16))  \(node)  [\(rows.joined(separator: ", "))]")
        }
        if digests.allSatisfy({ $0.digest.combined == reference.combined }) {
            print("replicas equal")
            return
        }
        for table in reference.tables {
            let differing = digests.filter { entry in entry.digest.tables.first { $0.table == table.table }?.hash != table.hash }
            if !differing.isEmpty { print("differs: \(table.table) at \(differing.map(\.node).joined(separator: ", "))") }
        }
        throw ExitCode(1)
    }
}
