import Foundation

/// Commands run inside a network namespace of the test's own (`ip netns exec`), each bounded by a
/// deadline so nothing can hang the suite.
enum NamespaceCommands {
    /// Runs a command to completion within `timeout` seconds; returns its exit status and output.
    @discardableResult
    static func shell(_ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, output: String) {
        // SIGTERM at the deadline, SIGKILL two seconds later.
        try NodeProcess.execute(URL(fileURLWithPath: "/usr/bin/env"), ["timeout", "-k", "2", "\(Int(timeout))"] + arguments)
    }

    @discardableResult
    static func exec(in namespace: String, _ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, output: String) {
        try shell(["ip", "netns", "exec", namespace] + arguments, timeout: timeout)
    }

    /// One HTTP request from inside `namespace` (curl): status and decoded JSON body.
    static func request(in namespace: String, _ method: String, _ url: String, json body: Any? = nil, token: String? = nil) throws -> LiveClient.Reply {
        var arguments = ["curl", "-s", "-m", "10", "-o", "-", "-w", "\n%{http_code}", "-X", method, url]
        if let body {
            let data = try JSONSerialization.data(withJSONObject: body)
            arguments += ["-H", "Content-Type: application/json", "-d", String(decoding: data, as: UTF8.self)]
        }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let result = try exec(in: namespace, arguments, timeout: 15)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        let json = lines.dropLast().joined(separator: "\n")
        return LiveClient.Reply(status: Int(lines.last ?? "") ?? 0, json: try? JSONSerialization.jsonObject(with: Data(json.utf8)))
    }

    /// Starts `edge-node` inside `namespace` with `arguments`, logging to `log`.
    static func launchNode(in namespace: String, _ arguments: [String], log: String) throws -> Process {
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, try NodeProcess.binary().path] + arguments
        process.environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }
}
