import Foundation
import NIOHTTP1
import Testing
@testable import EdgeNode

/// A provisioned deployment for live tests: a CA, a hub and nodes started from `edgectl` bundles
/// (replication over mutual TLS), each a real `edge-node` process the test can stop, kill, freeze
/// (SIGSTOP) and start again. On loopback by default; on a `SwitchedLAN`, each process has a
/// namespace of its own and can also be partitioned off the network while it keeps running.
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
    let lan: SwitchedLAN?
    /// Member index on the LAN: the hub is 0, the nodes follow in the order given.
    private let index: [String: Int]
    private var processes: [String: Process] = [:]
    private let lock = NSLock()
    private let http = LiveClient()

    /// Provisions the hub (`--demo`: it seeds the contract's five hospitals, which reach every node
    /// from it) and the nodes, all pushing to and pulling from the hub.
    init(nodes specs: [NodeSpec], on lan: SwitchedLAN? = nil) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-deployment-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #require(try NodeProcess.run("edgectl", ["ca", "init", "--dir", "\(root)/ca"]).status == 0)
        let index = Dictionary(uniqueKeysWithValues: (["hub"] + specs.map(\.name)).enumerated().map { ($1, $0) })
        var ports: [String: (Int, Int)] = [:]
        for name in index.keys { ports[name] = lan == nil ? (try #require(LoopbackPort.free()), try #require(LoopbackPort.free())) : (8000, 8443) }
        func replicationURL(_ name: String) -> String {
            "https://\(lan?.dataAddress(of: index[name]!) ?? "127.0.0.1"):\(ports[name]!.1)"
        }
        func provision(_ name: String, facility: String, peers: [String] = [], options: [String]) throws -> ProvisionedNode {
            try ProvisionedNode.provision(
                name, root: root, facility: facility, listen: lan == nil ? "127.0.0.1" : "0.0.0.0",
                address: lan?.managementAddress(of: index[name]!), ports: ports[name]!, peers: peers.map(replicationURL), bundleOptions: options
            )
        }
        hub = try provision("hub", facility: "HC-HUB001", options: ["--role", "hub"])
        nodes = try Dictionary(uniqueKeysWithValues: specs.map {
            ($0.name, try provision($0.name, facility: $0.facility, peers: $0.peers, options: ["--hub", replicationURL("hub")]))
        })
        self.root = root
        self.lan = lan
        self.index = index
    }

    subscript(name: String) -> ProvisionedNode { name == "hub" ? hub : nodes[name]! }
    var all: [ProvisionedNode] { [hub] + nodes.values.sorted { $0.name < $1.name } }

    func start(_ node: ProvisionedNode) throws {
        let extra = ["--bcrypt-cost", "4", "--sync-wait-seconds", "2", "--no-discovery"] + (node.name == "hub" ? ["--demo"] : [])
        let log = "\(root)/\(node.name).log"
        let process = try lan.map { lan in
            try NamespaceCommands.launchNode(in: lan.namespace(of: index[node.name]!), ["--config", node.config] + extra, log: log)
        } ?? NodeProcess.launch(config: node.config, extra: extra, log: log)
        lock.withLock { processes[node.name] = process }
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

    /// Cuts a node off the network (it keeps running and serving the test), or reconnects it.
    func partition(_ node: ProvisionedNode, _ partitioned: Bool) throws {
        let lan = try #require(lan, "partitions need a SwitchedLAN")
        try lan.setPartitioned(index[node.name]!, partitioned)
    }

    /// One API request from where the test stands (loopback, or the LAN's switch).
    func request(_ method: HTTPMethod, _ url: String, body: Any? = nil, token: String? = nil) async throws -> LiveClient.Reply {
        guard let lan else { return try await http.request(method, url, body: body, token: token) }
        return try NamespaceCommands.request(in: lan.switchNamespace, method.rawValue, url, json: body, token: token)
    }

    /// Runs `edgectl` from where the test stands.
    func edgectl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let lan else { return try NodeProcess.run("edgectl", arguments) }
        return try lan.exec([try NodeProcess.binary("edgectl").path] + arguments)
    }

    /// `edgectl verify` over mutual TLS with the hub's identity: whether all replicas are equal.
    func replicasEqual(_ members: [ProvisionedNode]) throws -> Bool {
        let verify = try edgectl(["verify", "--config", hub.config] + members.flatMap { ["--node", $0.replication] })
        return verify.status == 0 && verify.output.contains("replicas equal")
    }

    /// Stops every process and removes the deployment's files (the LAN is its owner's to close).
    func tearDown() {
        for node in all { stop(node, signal: SIGKILL) }
        try? FileManager.default.removeItem(atPath: root)
    }
}
