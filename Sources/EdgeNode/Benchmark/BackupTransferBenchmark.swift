import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Replication

/// A DocAssist backup moved as the desktop app and the deployment move it, between two `edge-node`
/// processes: uploaded to a node (generated on the fly, streamed), pushed by the node to its hub,
/// downloaded from the hub and hashed. Each process's peak resident memory (`VmHWM`) is read
/// against what it held before the upload: the memory a backup of that size costs.
struct BackupTransferBenchmark {
    static let boundary = "----bench-backup-boundary"

    let directory: String

    struct Result {
        let bytes: Int
        let upload: Double
        let push: Double
        let download: Double
        let nodeGrowth: Int
        let hubGrowth: Int

        var line: String {
            let megabytes = Double(bytes) / 1_048_576
            return String(
                format: "%7.0f MB backup: uploaded to a node %.1f s (%.0f MB/s), on the hub %.1f s later, downloaded from the hub %.1f s (%.0f MB/s), checksum equal; peak RSS growth: node %d MB, hub %d MB (target < 50 MB)",
                megabytes, upload, megabytes / upload, push, download, megabytes / download, nodeGrowth >> 10, hubGrowth >> 10
            )
        }
    }

    /// A backup's bytes (`BackupBytes`) wrapped in the upload's multipart form, made one MiB at a
    /// time as the HTTP client asks for them.
    struct GeneratedUpload: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let head: [UInt8]
        let size: Int
        let tail: [UInt8]

        var length: Int64 { Int64(head.count + size + tail.count) }

        /// A DocAssist upload form (`device_id`, `device_name`, then `file`) around `size` bytes,
        /// sent with `Content-Type: multipart/form-data; boundary=` `BackupTransferBenchmark.boundary`.
        init(backupOfSize size: Int) {
            let boundary = BackupTransferBenchmark.boundary
            head = Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"device_id\"\r\n\r\ndesktop-1\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"device_name\"\r\n\r\nReception PC\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clinic.db.enc\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").utf8)
            self.size = size
            tail = Array("\r\n--\(boundary)--\r\n".utf8)
        }

        func makeAsyncIterator() -> Iterator { Iterator(upload: self) }

        struct Iterator: AsyncIteratorProtocol {
            let upload: GeneratedUpload
            var headSent = false, tailSent = false
            lazy var backup = BackupBytes(size: upload.size)

            mutating func next() async -> ByteBuffer? {
                if !headSent {
                    headSent = true
                    return ByteBuffer(bytes: upload.head)
                }
                if let piece = backup.next() { return piece }
                defer { tailSent = true }
                return tailSent ? nil : ByteBuffer(bytes: upload.tail)
            }
        }
    }

    /// A backup's pseudo-random bytes (as incompressible as a ciphertext, the same on every run),
    /// made one MiB at a time.
    struct BackupBytes: Sequence, IteratorProtocol {
        let size: Int
        var made = 0
        var random = SplitMix64(seed: 7)

        mutating func next() -> ByteBuffer? {
            guard made < size else { return nil }
            let count = Swift.min(1 << 20, size - made)
            made += count
            var buffer = ByteBuffer()
            buffer.reserveCapacity(count)
            for _ in 0..<(count / 8) { buffer.writeInteger(random.next()) }
            for _ in 0..<(count % 8) { buffer.writeInteger(UInt8(truncatingIfNeeded: random.next())) }
            return buffer
        }
    }

    /// The SHA-256 (lowercase hex) and length of a streamed download.
    static func digest(of body: HTTPClientResponse.Body) async throws -> (sha256: String, bytes: Int) {
        var hasher = SHA256(), bytes = 0
        for try await piece in body {
            hasher.update(data: piece.readableBytesView)
            bytes += piece.readableBytes
        }
        return (hasher.finalize().hexString, bytes)
    }

    func measure(megabytes: Int) async throws -> Result {
        let secret = DeploymentSecret.generate()
        let hub = try await BenchNode(dataDirectory: (directory as NSString).appendingPathComponent("backup-hub"), secret: secret, extra: ["--role", "hub"])
        let node = try await BenchNode(dataDirectory: (directory as NSString).appendingPathComponent("backup-node"), secret: secret, extra: ["--hub", hub.base])
        defer {
            node.stop()
            hub.stop()
        }
        let (token, _) = try await WearableBenchmark.signUp(node.base + "/api/v1", index: 5)
        let nodeBefore = try node.memory("VmRSS"), hubBefore = try hub.memory("VmRSS")

        let size = megabytes << 20
        let form = GeneratedUpload(backupOfSize: size)
        var upload = HTTPClientRequest(url: node.base + "/backup/upload")
        upload.method = .POST
        upload.headers.add(name: "Authorization", value: "Bearer \(token)")
        upload.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(Self.boundary)")
        upload.body = .stream(form, length: .known(form.length))
        let started = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(upload, timeout: .minutes(30))
        let answer = try JSONSerialization.jsonObject(with: Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)) as? [String: Any]
        guard response.status == .ok, let id = answer?["backup_id"] as? String, let checksum = answer?["checksum"] as? String else {
            throw ValidationError("the upload answered \(response.status.code)")
        }
        let uploaded = ContinuousClock.now

        var probe = HTTPClientRequest(url: hub.base + "/replication/v1/blobs/\(checksum)")
        probe.method = .HEAD
        probe.headers.add(name: ReplicationAuthMiddleware.header.rawName, value: try DeploymentSecret(secret).replicationToken)
        var atHub = false
        for _ in 0..<36_000 where !atHub {  // up to an hour
            atHub = (try? await HTTPClient.shared.execute(probe, timeout: .seconds(10)))?.status == .ok
            if !atHub { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard atHub else { throw ValidationError("the node did not push the backup to the hub within an hour") }
        let pushed = ContinuousClock.now

        var download = HTTPClientRequest(url: hub.base + "/backup/download/\(id)")
        download.headers.add(name: "Authorization", value: "Bearer \(token)")
        let served = try await HTTPClient.shared.execute(download, timeout: .minutes(30))
        let received = try await Self.digest(of: served.body)
        guard served.status == .ok, received == (checksum, size) else {
            throw ValidationError("the hub served \(received.bytes) bytes (status \(served.status.code)) that do not hash to the upload's checksum")
        }
        return Result(
            bytes: size, upload: (uploaded - started).seconds, push: (pushed - uploaded).seconds, download: (ContinuousClock.now - pushed).seconds,
            nodeGrowth: try node.memory("VmHWM") - nodeBefore, hubGrowth: try hub.memory("VmHWM") - hubBefore
        )
    }
}
