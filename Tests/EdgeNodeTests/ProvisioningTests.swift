import Foundation
import Testing
@testable import EdgeNode

/// The admin's provisioning flow with the real `edgectl` and `edge-node` binaries.
@Suite(.serialized) struct ProvisioningTests {
    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func caNodeInitSignBundleAndStartFromTheBundle() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-pki-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let port = try #require(LoopbackPort.free())

        let ca = try NodeProcess.run("edgectl", ["ca", "init", "--dir", root + "/ca"])
        #expect(ca.status == 0)
        #expect(try mode(root + "/ca/ca.key") == 0o600)
        let again = try NodeProcess.run("edgectl", ["ca", "init", "--dir", root + "/ca"])
        #expect(again.status != 0 && again.output.contains("refusing to overwrite"))

        let badFacility = try NodeProcess.run("edgectl", ["node", "init", "--facility", "XX-1", "--name", "ward-2", "--dir", root + "/bad"])
        #expect(badFacility.status != 0)
        let node = try NodeProcess.run("edgectl", ["node", "init", "--facility", "HC-B2631D", "--name", "ward-2", "--dir", root + "/node"])
        #expect(node.status == 0)
        #expect(try mode(root + "/node/node.key") == 0o600)
        let nodeID = try #require(node.output.split(separator: " ").dropFirst().first.map(String.init))

        let sign = try NodeProcess.run("edgectl", ["ca", "sign", "--dir", root + "/ca", "--request", root + "/node/node.csr", "--out", root + "/node/node.crt"])
        #expect(sign.status == 0 && sign.output.contains(nodeID) && sign.output.contains("HC-B2631D"))

        let bundle = try NodeProcess.run("edgectl", [
            "node", "bundle", "--node-dir", root + "/node", "--ca-dir", root + "/ca", "--out", root + "/bundle",
            "--data-dir", root + "/data", "--host", "127.0.0.1", "--port", "\(port)",
        ])
        #expect(bundle.status == 0)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: root + "/bundle")) == ["config.json", "node.key", "node.crt", "ca.crt"])
        #expect(try mode(root + "/bundle/config.json") == 0o600 && mode(root + "/bundle/node.key") == 0o600)

        // The node starts from the bundle alone and takes the certificate's node id.
        let process = Process()
        process.executableURL = try NodeProcess.binary()
        process.arguments = ["--config", root + "/bundle/config.json", "--bcrypt-cost", "4"]
        process.environment = ["PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        let http = LiveClient()
        var health: [String: Any] = [:]
        try await http.eventually(30, "node from bundle healthy") {
            health = try await http.request(.GET, "http://127.0.0.1:\(port)/health").object
            return health["status"] as? String == "healthy"
        }
        #expect((health["node"] as? [String: Any])?["id"] as? String == nodeID)
        #expect((health["node"] as? [String: Any])?["name"] as? String == "ward-2")
    }
}
