import Foundation
import NIOCore

/// A file read front to back in 1 MiB pieces, as a streamed request body.
struct FilePieces: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    static let pieceBytes = 1 << 20

    let path: String

    func makeAsyncIterator() -> Iterator { Iterator(path: path, handle: FileHandle(forReadingAtPath: path)) }

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        let handle: FileHandle?

        mutating func next() async throws -> ByteBuffer? {
            guard let handle else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
            guard let data = try handle.read(upToCount: FilePieces.pieceBytes), !data.isEmpty else { return nil }
            return ByteBuffer(bytes: data)
        }
    }
}
