import Foundation
import Testing

/// A private LAN for DNS-SD tests: a network namespace of the test's own with a veth pair
/// (10.77.0.1 and 10.77.0.2, multicast on) and an avahi-daemon started only inside it — never in
/// the machine's namespace. The system D-Bus avahi needs (a local socket shared by every
/// namespace) is started only if none answers. Needs root and the packages `make test` installs.
final class PrivateLAN {
    /// Whether this machine can host one.
    static let isAvailable = getuid() == 0
        && ["/usr/sbin/ip", "/usr/sbin/avahi-daemon", "/usr/bin/avahi-browse", "/usr/bin/dbus-daemon", "/usr/bin/curl"]
        .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    let namespace: String
    private var startedBus: Int32?
    private var processes: [Process] = []

    init(name: String) throws {
        namespace = "\(name)-\(getpid())"
        let busProbe = ["dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId"]
        if try NamespaceCommands.shell(busProbe).status != 0 {
            // No live bus: clear what a dead one left behind, then start one for this test.
            try? FileManager.default.removeItem(atPath: "/run/dbus/pid")
            try? FileManager.default.removeItem(atPath: "/run/dbus/system_bus_socket")
            try FileManager.default.createDirectory(atPath: "/run/dbus", withIntermediateDirectories: true)
            // dbus-daemon keeps every descriptor it inherits, including the one Foundation watches
            // to see a child exit; python's subprocess closes them all before starting it.
            let launcher = "import subprocess; print(subprocess.run(['dbus-daemon', '--system', '--fork', '--print-pid'], "
                + "stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, close_fds=True).stdout.decode().strip())"
            let bus = try NamespaceCommands.shell(["python3", "-c", launcher])
            startedBus = Int32(bus.output.trimmingCharacters(in: .whitespacesAndNewlines))
            try #require(startedBus != nil, "dbus-daemon did not start")
        }
        for command in [
            ["ip", "netns", "add", namespace],
            ["ip", "link", "set", "lo", "up"],
            ["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"],
            ["ip", "link", "set", "v0", "multicast", "on"],
            ["ip", "link", "set", "v1", "multicast", "on"],
            ["ip", "addr", "add", "10.77.0.1/24", "dev", "v0"],
            ["ip", "addr", "add", "10.77.0.2/24", "dev", "v1"],
            ["ip", "link", "set", "v0", "up"],
            ["ip", "link", "set", "v1", "up"],
            ["avahi-daemon", "--no-drop-root", "--no-rlimits", "-D"],
        ] {
            let result = try command.first == "ip" && command[1] == "netns" ? NamespaceCommands.shell(command) : exec(command)
            if result.status != 0 { close() }
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }
    }

    /// Stops the namespace's avahi-daemon and starts a new one, as a restart on a node would.
    func restartAvahi() async throws {
        try exec(["avahi-daemon", "-k"])
        for _ in 0..<40 where try exec(["avahi-daemon", "-c"]).status == 0 { try await Task.sleep(for: .milliseconds(100)) }
        let started = try exec(["avahi-daemon", "--no-drop-root", "--no-rlimits", "-D"])
        try #require(started.status == 0, "avahi-daemon did not start again: \(started.output)")
    }

    /// Runs a command inside the namespace, to completion within `timeout` seconds.
    @discardableResult
    func exec(_ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, output: String) {
        try NamespaceCommands.exec(in: namespace, arguments, timeout: timeout)
    }

    /// Starts `edge-node` inside the namespace from a bundle's configuration (fast password hashing,
    /// short polls), logging to `log`; it is stopped by `close()` if not before.
    func launchNode(config: String, log: String) throws -> Process {
        let process = try NamespaceCommands.launchNode(
            in: namespace, ["--config", config, "--bcrypt-cost", "4", "--sync-wait-seconds", "2", "--log-level", "debug"], log: log
        )
        processes.append(process)
        return process
    }

    /// One HTTP request from inside the namespace.
    func request(_ method: String, _ url: String, json body: [String: Any]? = nil) throws -> LiveClient.Reply {
        try NamespaceCommands.request(in: namespace, method, url, json: body)
    }

    /// Stops the nodes, the namespace's avahi-daemon, the namespace, and the bus if this started it.
    func close() {
        for process in processes where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        processes.removeAll()
        _ = try? exec(["avahi-daemon", "-k"])
        _ = try? NamespaceCommands.shell(["ip", "netns", "del", namespace])
        if let startedBus {
            kill(startedBus, SIGKILL)  // the system bus ignores SIGTERM here
            try? FileManager.default.removeItem(atPath: "/run/dbus/pid")
            try? FileManager.default.removeItem(atPath: "/run/dbus/system_bus_socket")
            self.startedBus = nil
        }
    }
}
