import Hummingbird
import NIOCore

extension EdgeRequestContext {
    /// The file at `path` (or the bytes of `range`) as a response body sent at the client's pace.
    ///
    /// NIO's async channel writer hands each buffer to the connection's event loop and returns
    /// before the loop has written it, so the connection still looks writable; a file read faster
    /// than a busy loop runs would queue up in memory (tens of MB on a loaded two-core node). Each
    /// buffer therefore waits until the loop has taken the one before, after which the writer sees
    /// the connection's real writability and holds the next buffer until the client reads.
    func fileBody(at path: String, range: ClosedRange<Int>? = nil) async throws -> ResponseBody {
        let file = if let range {
            try await FileIO().loadFile(path: path, range: range, context: self)
        } else {
            try await FileIO().loadFile(path: path, context: self)
        }
        let eventLoop = channel.eventLoop
        return ResponseBody(contentLength: file.contentLength) { writer in
            try await file.write(writer.map { buffer in
                try await eventLoop.submit {}.get()
                return buffer
            })
        }
    }
}
