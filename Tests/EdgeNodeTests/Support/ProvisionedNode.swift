import Testing

/// A node provisioned with the real `edgectl` (`node init`, `ca sign`, `node bundle`) under a
/// test's root directory, signed by the CA in `root/<ca>`.
struct ProvisionedNode {
    let name: String
    let nodeID: String
    let config: String
    /// Where the test reaches the node (it may listen on every address).
    let address: String
    let apiPort: Int
    let replicationPort: Int
    var api: String { "http://\(address):\(apiPort)" }
    var replication: String { "https://\(address):\(replicationPort)" }

    static func provision(
        _ name: String, root: String, ca: String = "ca", facility: String = "HC-B2631D", listen: String = "127.0.0.1",
        address: String? = nil, ports: (api: Int, replication: Int), peers: [String] = [], bundleOptions: [String] = []
    ) throws -> ProvisionedNode {
        let node = try NodeProcess.run("edgectl", ["node", "init", "--facility", facility, "--name", name, "--dir", "\(root)/\(name)"])
        try #require(node.status == 0, "\(node.output)")
        let nodeID = try #require(node.output.split(separator: " ").dropFirst().first.map(String.init))
        let sign = try NodeProcess.run("edgectl", ["ca", "sign", "--dir", "\(root)/\(ca)", "--request", "\(root)/\(name)/node.csr", "--out", "\(root)/\(name)/node.crt"])
        try #require(sign.status == 0, "\(sign.output)")
        let bundle = try NodeProcess.run("edgectl", [
            "node", "bundle", "--node-dir", "\(root)/\(name)", "--ca-dir", "\(root)/\(ca)", "--out", "\(root)/\(name)-bundle",
            "--data-dir", "\(root)/\(name)-data", "--host", listen, "--port", "\(ports.api)",
            "--replication-port", "\(ports.replication)",
        ] + peers.flatMap { ["--peer", $0] } + bundleOptions)
        try #require(bundle.status == 0, "\(bundle.output)")
        return ProvisionedNode(
            name: name, nodeID: nodeID, config: "\(root)/\(name)-bundle/config.json", address: address ?? listen,
            apiPort: ports.api, replicationPort: ports.replication
        )
    }
}
