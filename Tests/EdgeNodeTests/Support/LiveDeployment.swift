import Foundation
import Testing
@testable import EdgeNode

/// A provisioned deployment on loopback for live tests: a CA, a hub and nodes started from
/// `edgectl` bundles (replication over mutual TLS), each a real `edge-node` process the test can
/// stop, kill, freeze (SIGSTOP: a partition as the peers see it) and start again.
final class LiveDeployment: @unchecked Sendable {
    struct NodeSpec {
        let name: String
        let facility: String
        /// Names of same-facility nodes it pulls from directly (its LAN peers).
        var peers: [String] = []
    }

    let root: String
    let hub: ProvisionedNode
    let nodes: [String: ProvisionedNode]
    private var processes: [String: Process] = [:]
    private let lock = NSLock()

    /// Provisions the hub (`--demo`: it seeds the contract's five hospitals, which reach every node
    /// from it) and the nodes, all pushing to and pulling from the hub.
    init(nodes specs: [NodeSpec]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-deployment-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #require(try NodeProcess.run("edgectl", ["ca", "init", "--dir", "\(root)/ca"]).status == 0)
        func ports() throws -> (Int, Int) { (try #require(LoopbackPort.free()), try #require(LoopbackPort.free())) }
        hub = try ProvisionedNode.provision("hub", root: root, facility: "HC-HUB001", ports: try ports(), bundleOptions: ["--role", "hub"])
        let allocated = try Dictionary(uniqueKeysWithValues: specs.map { ($0.name, try ports()) })
        var nodes: [String: ProvisionedNode] = [:]
        for spec in specs {
            nodes[spec.name] = try ProvisionedNode.provision(
                spec.name, root: root, facility: spec.facility, ports: allocated[spec.name]!,
                peers: spec.peers.map { "https://127.0.0.1:\(allocated[$0]!.1)" }, bundleOptions: ["--hub", hub.replication]
            )
        }
        self.nodes = nodes
    }

    subscript(name: String) -> ProvisionedNode { name == "hub" ? hub : nodes[name]! }
    var all: [ProvisionedNode] { [hub] + nodes.values.sorted { $0.name < $1.name } }

    func start(_ node: ProvisionedNode) throws {
        let process = try NodeProcess.launch(
            config: node.config, extra: node.name == "hub" ? ["--demo"] : [], log: "\(root)/\(node.name).log"
        )
        lock.withLock { processes[node.name] = process }
    }

    func isRunning(_ node: ProvisionedNode) -> Bool {
        lock.withLock { processes[node.name]?.isRunning ?? false }
    }

    /// SIGTERM (graceful) or SIGKILL, and wait for the exit.
    func stop(_ node: ProvisionedNode, signal: Int32 = SIGTERM) {
        guard let process = lock.withLock({ processes.removeValue(forKey: node.name) }), process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)  // a frozen process must run to handle its signal
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// SIGSTOP / SIGCONT: the process stops answering without closing its connections.
    func freeze(_ node: ProvisionedNode, _ frozen: Bool) {
        guard let process = lock.withLock({ processes[node.name] }), process.isRunning else { return }
        kill(process.processIdentifier, frozen ? SIGSTOP : SIGCONT)
    }

    /// Stops every process and removes the deployment's files.
    func tearDown() {
        for node in all { stop(node, signal: SIGKILL) }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// `edgectl verify` over mutual TLS with the hub's identity; returns whether all replicas are equal.
    func replicasEqual(_ members: [ProvisionedNode]) throws -> Bool {
        let verify = try NodeProcess.run("edgectl", ["verify", "--config", hub.config] + members.flatMap { ["--node", $0.replication] })
        return verify.status == 0 && verify.output.contains("replicas equal")
    }
}
