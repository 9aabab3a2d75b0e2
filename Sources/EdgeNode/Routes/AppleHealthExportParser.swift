import Domain
import NIOCore

/// A fast reader of the iOS app's Apple Health export JSON — the ingest hot path, where
/// Foundation's `JSONDecoder` was half the cost. It reads the bytes once and builds only the
/// samples' strings, with the same lenient rules as `ExportSample` (a field of the wrong type
/// reads as missing; an element that is not an object is a sample with nothing in it). Anything
/// it does not expect — invalid JSON, `metrics` missing or not a list — makes it give up (`nil`),
/// and the caller decodes with `JSONDecoder`, which explains the error.
struct AppleHealthExportParser {
    /// One export: its `deviceId` and samples.
    struct Export {
        var deviceID: String?
        var samples: [IncomingSample] = []
    }

    /// The exports of a body holding one export object (`list: false`) or a list of them.
    static func parse(_ body: ByteBuffer, list: Bool) -> [Export]? {
        body.withUnsafeReadableBytes { bytes in
            var parser = AppleHealthExportParser(bytes: bytes)
            return parser.exports(list: list)
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private mutating func exports(list: Bool) -> [Export]? {
        var exports: [Export] = []
        if list {
            guard elements({ parser in
                guard let export = parser.export() else { return false }
                exports.append(export)
                return true
            }) else { return nil }
        } else {
            guard let export = export() else { return nil }
            exports.append(export)
        }
        skipSpace()
        return index == bytes.count ? exports : nil
    }

    private mutating func export() -> Export? {
        var export = Export()
        var sawMetrics = false
        let complete = members { parser, key in
            switch key {
            case "deviceId":  // a string or null (anything else is the decoder's 422)
                parser.skipSpace()
                if parser.peek == UInt8(ascii: "n") { return parser.literal("null") }
                export.deviceID = parser.string()
                return export.deviceID != nil
            case "metrics":
                sawMetrics = true
                return parser.elements { parser in
                    guard let sample = parser.sample() else { return false }
                    export.samples.append(sample)
                    return true
                }
            default:
                return parser.skipValue()
            }
        }
        return complete && sawMetrics ? export : nil
    }

    /// One sample; `nil` only for invalid JSON.
    private mutating func sample() -> IncomingSample? {
        var sample = IncomingSample(type: nil, start: nil)
        skipSpace()
        guard peek == UInt8(ascii: "{") else { return skipValue() ? sample : nil }
        let complete = members { parser, key in
            switch key {
            case "type": sample.type = parser.lenientString()
            case "unit": sample.unit = parser.lenientString()
            case "startDate": sample.start = parser.lenientString()
            case "endDate": sample.end = parser.lenientString()
            case "sourceApp": sample.source = parser.lenientString()
            case "value":
                parser.skipSpace()
                if parser.peek == UInt8(ascii: "\"") {
                    guard let text = parser.string() else { return false }
                    sample.category = text
                    sample.value = Double(text)
                } else if let number = parser.number() {
                    sample.value = number
                } else {
                    return parser.skipValue()
                }
            case "metadata":
                parser.skipSpace()
                guard parser.peek == UInt8(ascii: "{") else { return parser.skipValue() }
                return parser.members { parser, key in
                    guard key == "device" else { return parser.skipValue() }
                    sample.device = parser.lenientString()
                    return true
                }
            default:
                return parser.skipValue()
            }
            return true
        }
        return complete ? sample : nil
    }

    // MARK: JSON

    /// Set when a `lenientString` met invalid JSON (`members` checks it after each member).
    private var failed = false

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) -> Bool {
        skipSpace()
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// An object's members: `member` reads each value (the parser positioned at it); false stops.
    private mutating func members(_ member: (inout AppleHealthExportParser, String) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "{")) else { return false }
        if expect(UInt8(ascii: "}")) { return true }
        repeat {
            skipSpace()
            guard let key = string(), expect(UInt8(ascii: ":")) else { return false }
            failed = false
            guard member(&self, key), !failed else { return false }
        } while expect(UInt8(ascii: ","))
        return expect(UInt8(ascii: "}"))
    }

    /// An array's elements, each read by `element`; false stops.
    private mutating func elements(_ element: (inout AppleHealthExportParser) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "[")) else { return false }
        if expect(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while expect(UInt8(ascii: ","))
        return expect(UInt8(ascii: "]"))
    }

    /// A string value, or `nil` (with the value skipped) when it is another kind of value.
    private mutating func lenientString() -> String? {
        skipSpace()
        if peek == UInt8(ascii: "\"") {
            let text = string()
            if text == nil { failed = true }
            return text
        }
        if !skipValue() { failed = true }
        return nil
    }

    /// A string at `index` (which must be at its opening quote), escapes resolved.
    private mutating func string() -> String? {
        guard peek == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }
        var text = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { return nil }
                index += 2
                switch bytes[index - 1] {
                case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): text.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {  // a surrogate pair
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                        index += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let character = Unicode.Scalar(scalar) else { return nil }
                    text += Array(String(character).utf8)
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                text.append(byte)
                index += 1
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number at `index` in JSON's grammar (`-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`),
    /// or `nil` (index unchanged) when there is none.
    private mutating func number() -> Double? {
        let start = index
        func digits() -> Int {
            let first = index
            while let byte = peek, byte >= 0x30, byte <= 0x39 { index += 1 }
            return index - first
        }
        if peek == UInt8(ascii: "-") { index += 1 }
        let leadingZero = peek == UInt8(ascii: "0")
        let integer = digits()
        var valid = integer > 0 && !(leadingZero && integer > 1)
        if valid, peek == UInt8(ascii: ".") {
            index += 1
            valid = digits() > 0
        }
        if valid, peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            valid = digits() > 0
        }
        guard valid, let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) else {
            index = start
            return nil
        }
        return value
    }

    /// Steps over one value of any kind; false for invalid JSON.
    private mutating func skipValue() -> Bool {
        skipSpace()
        guard let byte = peek else { return false }
        switch byte {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"): return members { parser, _ in parser.skipValue() }
        case UInt8(ascii: "["): return elements { parser in parser.skipValue() }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number() != nil
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
              (0..<length).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else { return false }
        index += length
        return true
    }
}
