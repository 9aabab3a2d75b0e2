import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// A real `edge-node` process on loopback, for live multi-process tests.
final class NodeProcess: @unchecked Sendable {
    static let secret = "live-test-deployment-secret-42"

    let name: String
    let port: Int
    let dataDirectory: String
    let peers: [String]
    let hub: String?
    let role: String
    /// Further `edge-node` flags.
    let extraArguments: [String]
    private var process: Process?
    /// The running process's id.
    var processIdentifier: Int32? { process?.processIdentifier }
    private let log: FileHandle

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(
        name: String, port: Int, dataDirectory: String, peers: [String], hub: String? = nil, role: String = "node", extraArguments: [String] = []
    ) throws {
        self.extraArguments = extraArguments
        self.name = name
        self.port = port
        self.dataDirectory = dataDirectory
        self.peers = peers
        self.hub = hub
        self.role = role
        let logPath = dataDirectory + ".log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    }

    /// A product built next to the tests (`make test` builds `edge-node` and `edgectl` first).
    static func binary(_ product: String = "edge-node") throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/debug/\(product)")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build \(product) first: swift build (make test does)")
        return binary
    }

    /// Starts `edge-node` from a bundle's configuration file (fast password hashing, short polls,
    /// and no LAN advertising: the system bus is shared by every namespace, so while the discovery
    /// test's avahi-daemon runs, these nodes would register with it).
    static func launch(config: String, extra: [String] = [], log: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = ["--config", config, "--bcrypt-cost", "4", "--sync-wait-seconds", "2", "--no-discovery"] + extra
        process.environment = ["PATH": "/usr/bin:/bin"]
        let output = try log.map { path in
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.seekToEndOfFile()
            return handle
        }
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = output ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs a product to completion (bounded by its own timeouts) with the deployment secret set.
    static func run(_ product: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try execute(try binary(product), arguments, environment: ["EDGE_DEPLOYMENT_SECRET": secret, "PATH": "/usr/bin:/bin"])
    }

    /// Runs a program to completion; returns its exit status and combined output.
    static func execute(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func start(batchLimit: Int = 2000) throws {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = ["--port", "\(port)", "--data-dir", dataDirectory, "--node-name", name, "--bcrypt-cost", "4",
                             "--sync-wait-seconds", "2", "--sync-batch-limit", "\(batchLimit)", "--log-level", "notice"]
            + peers.flatMap { ["--peer", $0] } + (hub.map { ["--hub", $0] } ?? []) + ["--role", role] + extraArguments
        process.environment = ["EDGE_DEPLOYMENT_SECRET": Self.secret, "PATH": "/usr/bin:/bin"]
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
    }

    /// SIGTERM and wait: a graceful stop. Returns the exit status.
    @discardableResult
    func stop() -> Int32? {
        guard let process, process.isRunning else { return nil }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// SIGKILL: the process dies wherever it is.
    func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }
}

/// A small JSON client for live tests.
struct LiveClient {
    let client = HTTPClient.shared

    struct Reply {
        let status: Int
        let json: Any?
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    }

    func request(_ method: NIOHTTP1.HTTPMethod, _ url: String, body: Any? = nil, token: String? = nil, deploymentToken: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let deploymentToken { request.headers.add(name: "X-Deployment-Token", value: deploymentToken) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), json: try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)))
    }

    /// Sends raw bytes (a multipart upload) and returns the status and the reply's bytes.
    func raw(_ method: NIOHTTP1.HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String? = nil, token: String) async throws -> (status: Int, bytes: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        return (Int(response.status.code), Array(try await response.body.collect(upTo: 64 << 20).readableBytesView))
    }

    /// Polls `check` every 100 ms until it holds or `seconds` pass (bounded).
    func eventually(_ seconds: Double, _ what: String, _ check: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await check()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out after \(seconds) s waiting for: \(what)")
        throw CancellationError()
    }
}

import NIOHTTP1
