import Foundation

/// Reads the Health app's own export, `export.xml`, as a stream: bytes go in, in pieces of any
/// size, and every `<Record type= unit= value= sourceName= device= startDate= endDate=>` comes out
/// as an `IncomingSample`. Memory holds at most one unfinished markup construct, however large the
/// file (exports of several GB exist). Everything but records — the DOCTYPE's internal subset,
/// workouts, activity summaries, metadata entries — is skipped. Bytes that are not such a
/// document fail with `DomainError.invalid` on the field `export`.
public struct AppleHealthXMLReader: Sendable {
    static let notAnExport = failure("is not an Apple Health export.xml (its root element must be HealthData)")
    static let truncated = failure("ends before </HealthData>: the file is cut short")

    static func failure(_ message: String) -> DomainError { .invalid([FieldIssue(field: "export", message: message)]) }

    /// The longest single markup construct accepted (Apple's DOCTYPE is ~10 KB, a record under 2 KB).
    public static let longestMarkup = 1 << 20

    private enum Phase: Sendable { case prolog, root, epilog }

    /// How far the search for the end of the unfinished construct got (at `pending`'s start):
    /// the next piece resumes there instead of rescanning the construct.
    private struct EndSearch {
        var position: Int
        var quote: UInt8 = 0
        var depth = 0
        var inComment = false
    }

    private var pending: [UInt8] = []
    private var search: EndSearch?
    private var phase = Phase.prolog
    private var atStart = true
    /// How many `<Record>` elements were read.
    public private(set) var records = 0

    public init() {}

    /// Reads the next piece of the document, calling `record` for each record it completes.
    public mutating func read(_ bytes: UnsafeRawBufferPointer, record: (IncomingSample) throws -> Void) throws {
        pending.append(contentsOf: bytes)
        if atStart {
            guard pending.count >= 3 else { return }
            if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }  // a UTF-8 byte-order mark
            atStart = false
        }
        let consumed = try pending.withUnsafeBufferPointer { try scan($0, record: record) }
        pending.removeFirst(consumed)
        guard pending.count <= Self.longestMarkup else { throw Self.failure("a single element is longer than 1 MiB") }
    }

    /// Checks that the document ended where an export ends: after `</HealthData>`.
    public func finish() throws(DomainError) {
        switch phase {
        case .prolog: throw Self.notAnExport
        case .root: throw Self.truncated
        case .epilog: guard pending.allSatisfy(Self.isSpace) else { throw Self.truncated }
        }
    }

    /// Consumes the complete constructs at the front of `bytes`; returns how many bytes it consumed.
    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, record: (IncomingSample) throws -> Void) throws -> Int {
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == Self.lessThan else {
                let next = Self.find(Self.lessThan, in: bytes, from: index) ?? count
                if phase != .root, !bytes[index..<next].allSatisfy(Self.isSpace) {
                    throw phase == .prolog ? Self.notAnExport : Self.failure("text after the end of HealthData")
                }
                index = next
                continue
            }
            guard index + 1 < count else { return index }
            // A construct left unfinished by the last piece resumes its search where it stopped.
            var state = index == 0 ? search ?? EndSearch(position: 2) : EndSearch(position: index + 2)
            let end: Int?
            switch bytes[index + 1] {
            case UInt8(ascii: "?"):
                end = Self.find("?>", in: bytes, state: &state)
            case UInt8(ascii: "!"):
                guard index + 3 < count else { return index }
                if bytes[index + 2] == UInt8(ascii: "-") {
                    guard index + 4 <= count else { return index }
                    guard Self.matches("<!--", bytes, at: index) else { throw Self.failure("a malformed comment") }
                    state.position = max(state.position, index + 4)
                    end = Self.find("-->", in: bytes, state: &state)
                } else if bytes[index + 2] == UInt8(ascii: "[") {
                    guard index + 9 <= count else { return index }
                    guard Self.matches("<![CDATA[", bytes, at: index) else { throw Self.failure("a malformed CDATA section") }
                    state.position = max(state.position, index + 9)
                    end = Self.find("]]>", in: bytes, state: &state)
                } else {
                    end = Self.declarationEnd(bytes, state: &state)
                }
            case UInt8(ascii: "/"):
                end = Self.find(Self.greaterThan, in: bytes, from: state.position)
                if end == nil { state.position = count }
                if let end, phase == .root, Self.nameEnd(bytes, from: index + 2, to: end) == index + 12, Self.matches("HealthData", bytes, at: index + 2) {
                    phase = .epilog
                }
            default:
                end = Self.tagEnd(bytes, state: &state)
                if let end { try startTag(bytes, from: index + 1, to: end, record: record) }
            }
            guard let end else {
                state.position -= index  // `pending` will start at this construct
                search = state
                return index
            }
            search = nil
            index = end + 1
        }
        return count
    }

    /// An element's start tag, `bytes[from..<to]` between `<` and `>`.
    private mutating func startTag(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, record: (IncomingSample) throws -> Void) throws {
        let nameEnd = Self.nameEnd(bytes, from: from, to: to)
        let selfClosing = bytes[to - 1] == UInt8(ascii: "/")
        switch phase {
        case .prolog:
            guard Self.name(bytes, from: from, to: nameEnd) == "HealthData" else { throw Self.notAnExport }
            phase = selfClosing ? .epilog : .root
        case .epilog:
            throw Self.failure("an element after the end of HealthData")
        case .root:
            guard nameEnd - from == 6, Self.matches("Record", bytes, at: from) else { return }
            records += 1
            try record(try Self.sample(bytes, from: nameEnd, to: selfClosing ? to - 1 : to))
        }
    }

    /// The sample a record's attributes describe.
    private static func sample(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) throws -> IncomingSample {
        var sample = IncomingSample(type: nil, start: nil)
        var index = from
        while true {
            while index < to, isSpace(bytes[index]) { index += 1 }
            guard index < to else { return sample }
            let nameStart = index
            while index < to, bytes[index] != UInt8(ascii: "="), !isSpace(bytes[index]) { index += 1 }
            let nameEnd = index
            while index < to, isSpace(bytes[index]) { index += 1 }
            guard index < to, bytes[index] == UInt8(ascii: "=") else { throw Self.failure("an attribute without a value in a Record") }
            index += 1
            while index < to, isSpace(bytes[index]) { index += 1 }
            guard index < to, bytes[index] == quote || bytes[index] == apostrophe else { throw Self.failure("an unquoted attribute value in a Record") }
            let delimiter = bytes[index]
            let valueStart = index + 1
            guard let valueEnd = find(delimiter, in: bytes, from: valueStart), valueEnd < to else { throw Self.failure("an unterminated attribute value") }
            index = valueEnd + 1
            func value() -> String { text(bytes, from: valueStart, to: valueEnd) }
            switch nameEnd - nameStart {
            case 4 where matches("type", bytes, at: nameStart): sample.type = value()
            case 4 where matches("unit", bytes, at: nameStart): sample.unit = value()
            case 5 where matches("value", bytes, at: nameStart):
                let text = value()
                if let number = Double(text) { sample.value = number } else { sample.category = text }
            case 6 where matches("device", bytes, at: nameStart): sample.device = value()
            case 7 where matches("endDate", bytes, at: nameStart): sample.end = value()
            case 9 where matches("startDate", bytes, at: nameStart): sample.start = value()
            case 10 where matches("sourceName", bytes, at: nameStart): sample.source = value()
            default: break
            }
        }
    }

    // MARK: Bytes

    private static let lessThan = UInt8(ascii: "<")
    private static let greaterThan = UInt8(ascii: ">")
    private static let quote = UInt8(ascii: "\"")
    private static let apostrophe = UInt8(ascii: "'")

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: UnsafePointer(found.assumingMemoryBound(to: UInt8.self)))
    }

    /// The last byte of `needle`'s first occurrence from `state.position`; when there is none yet,
    /// `state.position` moves to where a later search must start.
    private static func find(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>, state: inout EndSearch) -> Int? {
        let first = needle.utf8Start.pointee, length = needle.utf8CodeUnitCount
        var index = state.position
        while let candidate = find(first, in: bytes, from: index) {
            guard candidate + length <= bytes.count else {
                state.position = candidate
                return nil
            }
            if matches(needle, bytes, at: candidate) { return candidate + length - 1 }
            index = candidate + 1
        }
        state.position = max(state.position, bytes.count)
        return nil
    }

    private static func matches(_ literal: StaticString, _ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index + length <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + index, literal.utf8Start, length) == 0
    }

    /// Inside a quoted value (`state.quote`), moves `index` past its closing quote; `false` when
    /// the bytes end first (`index` at their end).
    private static func skipQuoted(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ state: inout EndSearch) -> Bool {
        guard state.quote != 0 else { return true }
        guard let close = find(state.quote, in: bytes, from: index) else {
            index = bytes.count
            return false
        }
        state.quote = 0
        index = close + 1
        return true
    }

    /// The `>` closing a start tag, outside quoted attribute values.
    private static func tagEnd(_ bytes: UnsafeBufferPointer<UInt8>, state: inout EndSearch) -> Int? {
        var index = state.position
        defer { state.position = index }
        while index < bytes.count {
            guard skipQuoted(bytes, &index, &state) else { return nil }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == greaterThan { return index }
            if byte == quote || byte == apostrophe { state.quote = byte }
            index += 1
        }
        return nil
    }

    /// The `>` closing a declaration (`<!DOCTYPE … [ … ]>`), outside its internal subset, quoted
    /// literals and comments.
    private static func declarationEnd(_ bytes: UnsafeBufferPointer<UInt8>, state: inout EndSearch) -> Int? {
        var index = state.position
        defer { state.position = index }
        while index < bytes.count {
            if state.inComment {
                var inner = EndSearch(position: index)
                guard let close = find("-->", in: bytes, state: &inner) else {
                    index = inner.position
                    return nil
                }
                state.inComment = false
                index = close + 1
                continue
            }
            guard skipQuoted(bytes, &index, &state) else { return nil }
            guard index < bytes.count else { break }
            switch bytes[index] {
            case UInt8(ascii: "["): state.depth += 1
            case UInt8(ascii: "]"): state.depth -= 1
            case greaterThan where state.depth <= 0: return index
            case quote, apostrophe: state.quote = bytes[index]
            case lessThan:
                guard index + 4 <= bytes.count else { return nil }
                if matches("<!--", bytes, at: index) {
                    state.inComment = true
                    index += 4
                    continue
                }
            default: break
            }
            index += 1
        }
        return nil
    }

    private static func nameEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        while index < to, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/") { index += 1 }
        return index
    }

    private static func name(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<nameEnd(bytes, from: from, to: to)]), as: UTF8.self)
    }

    /// An attribute value's text, with XML's character and entity references replaced.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[from..<to])
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            guard raw[index] == UInt8(ascii: "&"), let semicolon = raw[index..<min(index + 12, raw.count)].firstIndex(of: UInt8(ascii: ";")),
                  let replacement = reference(String(decoding: raw[(index + 1)..<semicolon], as: UTF8.self)) else {
                decoded.append(raw[index])
                index += 1
                continue
            }
            decoded += replacement
            index = semicolon + 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The UTF-8 bytes a reference (`lt`, `#38`, `#x26`) stands for; `nil` for one XML does not predefine.
    private static func reference(_ name: String) -> [UInt8]? {
        switch name {
        case "lt": return [lessThan]
        case "gt": return [greaterThan]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [quote]
        case "apos": return [apostrophe]
        default:
            guard name.hasPrefix("#") else { return nil }
            let hex = name.dropFirst().hasPrefix("x")
            let digits = name.dropFirst(hex ? 2 : 1)
            guard !digits.isEmpty, digits.allSatisfy({ hex ? $0.isHexDigit : $0.isASCII && $0.isNumber }),
                  let code = UInt32(digits, radix: hex ? 16 : 10), code == 0x9 || code == 0xA || code == 0xD || code >= 0x20,
                  let scalar = Unicode.Scalar(code) else { return nil }
            return Array(String(scalar).utf8)
        }
    }
}
