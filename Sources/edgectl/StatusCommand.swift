import ArgumentParser
import Foundation
import Replication

/// `edgectl status --node URL`: a node's identity, feed, clock and peers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a node's replication status and its peers.")

    @Option(help: "The node's base URL, e.g. http://127.0.0.1:8000") var node: String
    @OptionGroup var connection: NodeConnection

    func run() async throws {
        let status = try await connection.get(ReplicaStatus.self, node: node, path: "/replication/v1/status")
        print("node         \(status.nodeId)")
        print("incarnation  \(status.incarnation.uuidString.lowercased())")
        print("schema       \(status.schemaFingerprint) (protocol \(status.protocolVersion))")
        print("feed         db_version \(status.dbVersion), clock \(status.hlc)")
        if status.clockSkewEvents > 0 {
            print("WARNING      \(status.clockSkewEvents) batch(es) carried clock readings far ahead of this node's time: check NTP on the peers")
        }
        if let latest = status.refusedChanges.first {
            let total = status.refusedChanges.reduce(0) { $0 + $1.count }
            print("REFUSED      \(total) pushed change(s) a node was not allowed to make; latest from \(latest.peer): \(latest.reason)")
        }
        print("peers        \(status.peers.isEmpty ? "none configured" : "")")
        for peer in status.peers {
            let last = peer.lastSuccessAt.map { "last sync \(Int(Date().timeIntervalSince($0))) s ago" } ?? "never synced"
            var line = "  \(peer.address)  \(peer.nodeId?.description ?? "node unknown")  \(peer.state.rawValue)  backlog \(peer.backlog)  \(last)"
            if let error = peer.lastError, peer.state != .idle, peer.state != .syncing { line += "  error: \(error)" }
            if peer.refusedByPeer > 0 { line += "  REFUSED by it: \(peer.refusedByPeer) change(s)" }
            print(line)
        }
    }
}
