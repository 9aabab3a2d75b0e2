import Foundation
import Testing
@testable import EdgeNode

/// DNS-SD on a private LAN: a network namespace of the test's own (veth pair, multicast), an
/// avahi-daemon started only inside it, and a provisioned node advertising there. Needs root
/// (CI runs as root) and the packages `make test` installs.
/// Whether this machine can host the private LAN of the discovery tests.
let canHostPrivateLAN = getuid() == 0
    && ["/usr/sbin/ip", "/usr/sbin/avahi-daemon", "/usr/bin/avahi-browse", "/usr/bin/dbus-daemon"]
    .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.serialized, .enabled(if: canHostPrivateLAN, "needs root, ip, avahi-daemon and avahi-browse (make test installs them)"))
struct LANDiscoveryTests {
    /// Runs a command to completion within `timeout` seconds; returns its exit status and output.
    @discardableResult
    static func shell(_ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, output: String) {
        // SIGTERM at the deadline, SIGKILL two seconds later: nothing here can hang the suite.
        try NodeProcess.execute(URL(fileURLWithPath: "/usr/bin/env"), ["timeout", "-k", "2", "\(Int(timeout))"] + arguments)
    }

    @Test func aProvisionedNodeIsAdvertisedWithItsIdentityAndSeenByAnIndependentImplementation() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-lan-\(UUID())").path
        let namespace = "edge-lan-\(getpid())"
        try FileManager.default.createDirectory(atPath: root + "/run", withIntermediateDirectories: true)

        // The system bus avahi needs (a local socket, shared by every namespace); started only if absent.
        var startedBus: Int32?
        let busProbe = ["dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId"]
        if try Self.shell(busProbe).status != 0 {
            // No live bus: clear what a dead one left behind, then start one for this test.
            try? FileManager.default.removeItem(atPath: "/run/dbus/pid")
            try? FileManager.default.removeItem(atPath: "/run/dbus/system_bus_socket")
            try FileManager.default.createDirectory(atPath: "/run/dbus", withIntermediateDirectories: true)
            // dbus-daemon keeps every descriptor it inherits, including the one Foundation watches
            // to see a child exit; python's subprocess closes them all before starting it.
            let launcher = "import subprocess; print(subprocess.run(['dbus-daemon', '--system', '--fork', '--print-pid'], "
                + "stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, close_fds=True).stdout.decode().strip())"
            let bus = try Self.shell(["python3", "-c", launcher])
            startedBus = Int32(bus.output.trimmingCharacters(in: .whitespacesAndNewlines))
            try #require(startedBus != nil, "dbus-daemon did not start")
        }
        defer {
            try? Self.shell(["ip", "netns", "exec", namespace, "avahi-daemon", "-k"])
            try? Self.shell(["ip", "netns", "del", namespace])
            if let startedBus {
                kill(startedBus, SIGKILL)  // the system bus ignores SIGTERM here
                try? FileManager.default.removeItem(atPath: "/run/dbus/pid")
                try? FileManager.default.removeItem(atPath: "/run/dbus/system_bus_socket")
            }
            try? FileManager.default.removeItem(atPath: root)
        }
        for command in [
            ["ip", "netns", "add", namespace],
            ["ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"],
            ["ip", "netns", "exec", namespace, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"],
            ["ip", "netns", "exec", namespace, "ip", "link", "set", "v0", "multicast", "on"],
            ["ip", "netns", "exec", namespace, "ip", "link", "set", "v1", "multicast", "on"],
            ["ip", "netns", "exec", namespace, "ip", "addr", "add", "10.77.0.1/24", "dev", "v0"],
            ["ip", "netns", "exec", namespace, "ip", "addr", "add", "10.77.0.2/24", "dev", "v1"],
            ["ip", "netns", "exec", namespace, "ip", "link", "set", "v0", "up"],
            ["ip", "netns", "exec", namespace, "ip", "link", "set", "v1", "up"],
            ["ip", "netns", "exec", namespace, "avahi-daemon", "--no-drop-root", "--no-rlimits", "-D"],
        ] {
            let result = try Self.shell(command)
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }

        // A node provisioned by edgectl, started inside the namespace on its veth address.
        #expect(try NodeProcess.run("edgectl", ["ca", "init", "--dir", root + "/ca"]).status == 0)
        let node = try NodeProcess.run("edgectl", ["node", "init", "--facility", "HC-L9MLES", "--name", "ward-9", "--dir", root + "/node"])
        let nodeID = try #require(node.output.split(separator: " ").dropFirst().first.map(String.init))
        #expect(try NodeProcess.run("edgectl", ["ca", "sign", "--dir", root + "/ca", "--request", root + "/node/node.csr", "--out", root + "/node/node.crt"]).status == 0)
        #expect(try NodeProcess.run("edgectl", [
            "node", "bundle", "--node-dir", root + "/node", "--ca-dir", root + "/ca", "--out", root + "/bundle",
            "--data-dir", root + "/data", "--host", "10.77.0.1", "--port", "18400", "--replication-port", "18401",
        ]).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, try NodeProcess.binary().path, "--config", root + "/bundle/config.json", "--bcrypt-cost", "4"]
        process.environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        // Avahi's own browser resolves it with the identity in the TXT record…
        var resolved = ""
        for _ in 0..<20 where !resolved.contains(nodeID) {
            resolved = try Self.shell(["ip", "netns", "exec", namespace, "avahi-browse", "-rpt", "_cloudcare-edge._tcp"], timeout: 6).output
            if !resolved.contains(nodeID) { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(resolved.contains("\"node_id=\(nodeID)\""), "\(resolved)")
        #expect(resolved.contains("\"facility=HC-L9MLES\"") && resolved.contains("\"port=18401\"") && resolved.contains("\"proto=1\""))
        #expect(resolved.contains("10.77.0.1") || resolved.contains("10.77.0.2"))

        // …and so does an independent implementation, python-zeroconf, when present.
        guard try Self.shell(["python3", "-c", "import zeroconf"]).status == 0 else { return }
        let script = """
            import time
            from zeroconf import Zeroconf, ServiceBrowser, ServiceListener
            found = {}
            class Listener(ServiceListener):
                def add_service(self, zc, kind, name):
                    info = zc.get_service_info(kind, name, timeout=3000)
                    if info: found.update({k.decode(): (v or b"").decode() for k, v in info.properties.items()})
                def update_service(self, zc, kind, name): self.add_service(zc, kind, name)
                def remove_service(self, zc, kind, name): pass
            zc = Zeroconf(); ServiceBrowser(zc, "_cloudcare-edge._tcp.local.", Listener())
            deadline = time.time() + 10
            while time.time() < deadline and "node_id" not in found: time.sleep(0.2)
            zc.close(); print(found.get("node_id", ""), found.get("facility", ""))
            """
        let zeroconf = try Self.shell(["ip", "netns", "exec", namespace, "python3", "-c", script], timeout: 30)
        #expect(zeroconf.output.contains("\(nodeID) HC-L9MLES"), "\(zeroconf.output)")
    }
}
