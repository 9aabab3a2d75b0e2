import Foundation

/// A streaming `multipart/form-data` parser: bytes go in as they arrive, events come out — a
/// part's headers, its data in pieces, its end — so a file part can be written to disk without the
/// body ever being held whole.
struct MultipartStream {
    enum Event: Equatable {
        case part(name: String?, fileName: String?, contentType: String?)
        case data([UInt8])
        case end
    }

    private enum State {
        case preamble, afterBoundary, headers, body, done
    }

    private let delimiter: [UInt8]
    private var pending: [UInt8] = []
    private var state = State.preamble
    static let maximumHeaderBytes = 16 * 1024

    /// The parser for a request's `Content-Type`; `nil` unless it is multipart/form-data with a boundary.
    init?(contentType: String) {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data",
              let raw = parts.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count),
              case let boundary = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"")), (1...70).contains(boundary.count)
        else { return nil }
        delimiter = Array("\r\n--\(boundary)".utf8)
        pending = Array("\r\n".utf8)  // lets the first boundary match the same delimiter
    }

    /// Feeds bytes; returns the events they complete. Throws `APIError` (400) on a malformed body.
    mutating func feed(_ bytes: [UInt8]) throws -> [Event] {
        pending += bytes
        var events: [Event] = []
        while true {
            switch state {
            case .preamble, .body:
                guard let found = Self.firstRange(of: delimiter, in: pending) else {
                    let safe = max(0, pending.count - delimiter.count + 1)
                    if state == .body, safe > 0 { events.append(.data(Array(pending[..<safe]))) }
                    pending.removeFirst(safe)
                    return events
                }
                if state == .body {
                    if found.lowerBound > 0 { events.append(.data(Array(pending[..<found.lowerBound]))) }
                    events.append(.end)
                }
                pending.removeFirst(found.upperBound)
                state = .afterBoundary
            case .afterBoundary:
                guard pending.count >= 2 else { return events }
                if pending.starts(with: Array("--".utf8)) {
                    state = .done
                    pending.removeAll()
                    return events
                }
                guard pending.starts(with: Array("\r\n".utf8)) else { throw Self.malformed }
                pending.removeFirst(2)
                state = .headers
            case .headers:
                guard let end = Self.firstRange(of: Array("\r\n\r\n".utf8), in: pending) else {
                    if pending.count > Self.maximumHeaderBytes { throw Self.malformed }
                    return events
                }
                events.append(Self.part(headers: String(decoding: pending[..<end.lowerBound], as: UTF8.self)))
                pending.removeFirst(end.upperBound)
                state = .body
            case .done:
                pending.removeAll()
                return events
            }
        }
    }

    /// Checks the body ended with the closing boundary.
    func finish() throws {
        guard state == .done else { throw Self.malformed }
    }

    private static let malformed = APIError.badRequest("The multipart body is malformed")

    /// Where `needle` first occurs in `haystack`: `memchr` for its first byte, then `memcmp` — the
    /// body of a large upload is scanned at memory speed.
    static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress else { return nil }
                var offset = 0
                let last = hay.count - pin.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return nil }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, pin.baseAddress!, pin.count) == 0 { return position..<(position + pin.count) }
                    offset = position + 1
                }
                return nil
            }
        }
    }

    private static func part(headers: String) -> Event {
        var name: String?, fileName: String?, contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "content-disposition":
                for parameter in pair[1].split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    let keyValue = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                    guard keyValue.count == 2 else { continue }
                    let value = keyValue[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    if keyValue[0].lowercased() == "name" { name = value }
                    if keyValue[0].lowercased() == "filename" { fileName = value }
                }
            case "content-type":
                contentType = pair[1]
            default:
                continue
            }
        }
        return .part(name: name, fileName: fileName, contentType: contentType)
    }
}
