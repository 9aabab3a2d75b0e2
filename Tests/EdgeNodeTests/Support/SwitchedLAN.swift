import Foundation
import Testing

/// A switched LAN of network namespaces for partition tests. Member `i` lives in a namespace of its
/// own with a data link into a bridge (`10.78.0.<i+1>`, where members replicate) and a management
/// link to the switch namespace (`10.79.<i>.1`, where the test's requests come from). Taking a
/// member's bridge port down partitions it from every other member — its connections fail, it
/// keeps accepting writes — while the test still reaches it. Needs root and `ip`; no multicast.
final class SwitchedLAN {
    static var isAvailable: Bool {
        getuid() == 0 && ["/usr/sbin/ip", "/usr/bin/curl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let switchNamespace: String
    let memberCount: Int
    private let tag: String

    init(members: Int) throws {
        tag = "\(getpid() % 100_000)"
        switchNamespace = "sw\(tag)"
        memberCount = members
        var commands: [[String]] = [
            ["ip", "netns", "add", switchNamespace],
            ["ip", "-n", switchNamespace, "link", "set", "lo", "up"],
            ["ip", "-n", switchNamespace, "link", "add", "br0", "type", "bridge"],
            ["ip", "-n", switchNamespace, "addr", "add", "10.78.0.254/24", "dev", "br0"],
            ["ip", "-n", switchNamespace, "link", "set", "br0", "up"],
        ]
        for index in 0..<members {
            let member = namespace(of: index)
            commands += [
                ["ip", "netns", "add", member],
                ["ip", "-n", member, "link", "set", "lo", "up"],
                // The data link: member eth0 ↔ bridge port d<i>.
                ["ip", "-n", switchNamespace, "link", "add", "d\(index)", "type", "veth", "peer", "name", "eth0", "netns", member],
                ["ip", "-n", switchNamespace, "link", "set", "d\(index)", "master", "br0"],
                ["ip", "-n", switchNamespace, "link", "set", "d\(index)", "up"],
                ["ip", "-n", member, "addr", "add", "\(dataAddress(of: index))/24", "dev", "eth0"],
                ["ip", "-n", member, "link", "set", "eth0", "up"],
                // The management link: member mgmt ↔ switch m<i>, a subnet of its own.
                ["ip", "-n", switchNamespace, "link", "add", "m\(index)", "type", "veth", "peer", "name", "mgmt", "netns", member],
                ["ip", "-n", switchNamespace, "addr", "add", "10.79.\(index).254/24", "dev", "m\(index)"],
                ["ip", "-n", switchNamespace, "link", "set", "m\(index)", "up"],
                ["ip", "-n", member, "addr", "add", "\(managementAddress(of: index))/24", "dev", "mgmt"],
                ["ip", "-n", member, "link", "set", "mgmt", "up"],
            ]
        }
        for command in commands {
            let result = try NamespaceCommands.shell(command)
            if result.status != 0 { close() }
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }
    }

    func namespace(of index: Int) -> String { "m\(index)-\(tag)" }
    /// Where members reach member `index` (replication, the hub).
    func dataAddress(of index: Int) -> String { "10.78.0.\(index + 1)" }
    /// Where the test reaches member `index` (its API and replication ports), partitioned or not.
    func managementAddress(of index: Int) -> String { "10.79.\(index).1" }

    /// Cuts member `index` off the data LAN, or reconnects it.
    func setPartitioned(_ index: Int, _ partitioned: Bool) throws {
        let result = try NamespaceCommands.shell(["ip", "-n", switchNamespace, "link", "set", "d\(index)", partitioned ? "down" : "up"])
        try #require(result.status == 0, "\(result.output)")
    }

    /// Runs a command in the switch namespace (where the test's requests come from).
    @discardableResult
    func exec(_ arguments: [String], timeout: TimeInterval = 30) throws -> (status: Int32, output: String) {
        try NamespaceCommands.exec(in: switchNamespace, arguments, timeout: timeout)
    }

    /// Removes every namespace (their links go with them).
    func close() {
        for index in 0..<memberCount { _ = try? NamespaceCommands.shell(["ip", "netns", "del", namespace(of: index)]) }
        _ = try? NamespaceCommands.shell(["ip", "netns", "del", switchNamespace])
    }
}
