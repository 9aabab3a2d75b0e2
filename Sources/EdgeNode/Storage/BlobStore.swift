import Crypto
import Foundation
import NIOCore

/// Content-addressed files on disk (`blobs/sha256/ab/cdef…`): written to a temporary file while
/// they stream in, hashed on the way, fsynced, then renamed into place, so a blob is either whole
/// under its hash or absent. Nothing is ever read whole into memory.
struct BlobStore: Sendable {
    let root: String

    init(directory: String) throws {
        root = (directory as NSString).appendingPathComponent("blobs")
        for sub in ["sha256", "tmp"] {
            try FileManager.default.createDirectory(atPath: (root as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    /// Where a blob lives; `nil` for anything that is not a SHA-256 in lowercase hex.
    func path(of sha256: String) -> String? {
        guard sha256.count == 64, sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return "\(root)/sha256/\(sha256.prefix(2))/\(sha256.dropFirst(2))"
    }

    func contains(_ sha256: String) -> Bool {
        path(of: sha256).map { FileManager.default.fileExists(atPath: $0) } ?? false
    }

    /// Every blob stored, with when its file was last written (or found already stored).
    func stored() -> [(sha256: String, modified: Date)] {
        let manager = FileManager.default
        let base = "\(root)/sha256"
        return ((try? manager.contentsOfDirectory(atPath: base)) ?? []).flatMap { prefix in
            ((try? manager.contentsOfDirectory(atPath: "\(base)/\(prefix)")) ?? []).compactMap { rest in
                let sha256 = prefix + rest
                guard let path = path(of: sha256), let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
                return (sha256, modified)
            }
        }
    }

    /// Files being written, or left half-written by a crash, with when they were last written.
    func temporary() -> [(path: String, modified: Date)] {
        let base = "\(root)/tmp"
        return ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap { name in
            let path = "\(base)/\(name)"
            return ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date).map { (path, $0) }
        }
    }

    /// A fresh path among the temporary files.
    func temporaryPath() -> String {
        "\(root)/tmp/\(UUID().uuidString.lowercased())"
    }

    /// A writer for one incoming blob of at most `limit` bytes.
    func writer(limit: Int) throws -> BlobWriter {
        try BlobWriter(store: self, temporaryPath: temporaryPath(), limit: limit)
    }
}

/// One blob being written: call `write` as bytes arrive, then `commit` or `discard`.
final class BlobWriter {
    private let store: BlobStore
    private let temporaryPath: String
    private let limit: Int
    private let handle: FileHandle
    private var hasher = SHA256()
    private(set) var size = 0
    private var closed = false

    fileprivate init(store: BlobStore, temporaryPath: String, limit: Int) throws {
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw APIError.internalError
        }
        self.store = store
        self.temporaryPath = temporaryPath
        self.limit = limit
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
    }

    /// Appends bytes; 413 once the blob would pass the limit.
    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        size += bytes.count
        guard size <= limit else { throw APIError.payloadTooLarge }
        hasher.update(data: bytes)
        try handle.write(contentsOf: bytes)
    }

    /// Appends every buffer of `body` as it arrives (a request's or a response's streamed body).
    func write<Body: AsyncSequence>(contentsOf body: Body) async throws where Body.Element == ByteBuffer {
        for try await buffer in body { try write(Array(buffer.readableBytesView)) }
    }

    /// The SHA-256 (lowercase hex) of the bytes written so far.
    var sha256: String { hasher.finalize().hexString }

    /// Makes the blob durable under its hash; returns the hash (lowercase hex) and size.
    func commit() throws -> (sha256: String, size: Int) {
        try handle.synchronize()
        try handle.close()
        closed = true
        let sha256 = sha256
        guard let destination = store.path(of: sha256) else { throw APIError.internalError }
        if FileManager.default.fileExists(atPath: destination) {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            // Stored anew as far as collection goes: a record is about to name it again.
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: destination)
        } else {
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: destination)
        }
        return (sha256, size)
    }

    /// Makes the blob durable as `sha256` when the bytes written hash to that name; otherwise
    /// throws them away (an existing blob of the hash they do have is left alone) and returns `false`.
    func commit(as sha256: String) throws -> Bool {
        guard self.sha256 == sha256 else {
            discard()
            return false
        }
        _ = try commit()
        return true
    }

    /// Throws the partial blob away.
    func discard() {
        if !closed { try? handle.close() }
        closed = true
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
