import AsyncHTTPClient
import ArgumentParser
import Foundation
import Replication

/// An `edge-node` process of this same binary on loopback, started for a benchmark that measures
/// a node from outside (its memory, read from /proc), and stopped when the benchmark is done.
final class BenchNode {
    let process = Process()
    let base: String

    /// Starts the node (data under `dataDirectory`, `extra` flags) and waits until it answers.
    init(dataDirectory: String, secret: String, extra: [String] = []) async throws {
        guard let port = LoopbackPort.free() else { throw ValidationError("no free loopback port") }
        base = "http://127.0.0.1:\(port)"
        process.executableURL = try Self.executable()
        process.arguments = ["--port", "\(port)", "--data-dir", dataDirectory, "--bcrypt-cost", "4", "--no-discovery", "--log-level", "warning"] + extra
        process.environment = ["EDGE_DEPLOYMENT_SECRET": secret, "PATH": "/usr/bin:/bin"]
        try process.run()
        for _ in 0..<300 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw ValidationError("the node at \(base) did not start")
    }

    deinit { stop() }

    /// This benchmark's own executable (`edge-node`).
    static func executable() throws -> URL {
        URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// A memory figure of the process from /proc (`VmRSS`, `VmHWM`), in KiB.
    func memory(_ field: String) throws -> Int {
        try Self.memory(of: process.processIdentifier, field)
    }

    /// A memory figure of process `pid` from /proc (`VmRSS`, `VmHWM`), in KiB.
    static func memory(of pid: Int32, _ field: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) }) else {
            throw ValidationError("no \(field) for process \(pid)")
        }
        return kilobytes
    }
}
