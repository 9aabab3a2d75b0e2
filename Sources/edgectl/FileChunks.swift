import Foundation
import NIOCore

/// A file read in 1 MiB pieces as an upload body, drawing a progress bar on standard error as the
/// HTTP client takes each piece (it takes them as fast as the node reads them).
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    static let chunkBytes = 1 << 20

    let path: String
    let size: Int64

    func makeAsyncIterator() -> Iterator {
        Iterator(path: path, handle: FileHandle(forReadingAtPath: path), progress: ProgressBar(total: size))
    }

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        let handle: FileHandle?
        var progress: ProgressBar

        mutating func next() async throws -> ByteBuffer? {
            guard let handle else { throw CLIError("cannot read \(path)") }
            guard let data = try handle.read(upToCount: FileChunks.chunkBytes), !data.isEmpty else {
                progress.finish()
                return nil
            }
            progress.advance(by: data.count)
            return ByteBuffer(bytes: data)
        }
    }
}

/// `[##########----------]  52%  540.2 of 1,038.7 MB  41.3 MB/s` on standard error, redrawn in
/// place on a terminal at most ten times a second; elsewhere (a log), a line every 10 %.
struct ProgressBar {
    let total: Int64
    private var done: Int64 = 0
    private let started = ContinuousClock.now
    private var drawn = ContinuousClock.now - .seconds(1)
    private var lastTenth = -1
    private let interactive = isatty(STDERR_FILENO) != 0

    init(total: Int64) {
        self.total = total
    }

    mutating func advance(by bytes: Int) {
        done += Int64(bytes)
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        if interactive {
            guard ContinuousClock.now - drawn >= .milliseconds(100) || done >= total else { return }
            drawn = .now
            let width = 30, filled = Int(fraction * Double(width))
            write("\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] " + figures(fraction))
        } else {
            let tenth = Int(fraction * 10)
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            write(figures(fraction) + "\n")
        }
    }

    func finish() {
        if interactive { write("\n") }
    }

    private func figures(_ fraction: Double) -> String {
        let elapsed = (ContinuousClock.now - started).components
        let seconds = max(0.001, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        let megabytes = Double(done) / 1_048_576
        return String(format: "%3.0f%%  %.1f of %.1f MB  %.1f MB/s", fraction * 100, megabytes, Double(total) / 1_048_576, megabytes / seconds)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
