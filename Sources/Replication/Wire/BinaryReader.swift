import Foundation

/// Reads what `BinaryWriter` wrote, checking every bound: malformed input throws, never traps.
struct BinaryReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    private func fail(_ what: String) -> ReplicationError {
        .malformedBatch("\(what) at byte \(offset)")
    }

    mutating func byte() throws(ReplicationError) -> UInt8 {
        guard offset < bytes.count else { throw fail("unexpected end") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(ReplicationError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw fail("varint too long") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func signed() throws(ReplicationError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A count that must fit in what is left of the input (each counted item takes at least a byte).
    mutating func count() throws(ReplicationError) -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - offset) else { throw fail("count \(value) exceeds input") }
        return Int(value)
    }

    mutating func fixed64() throws(ReplicationError) -> UInt64 {
        let raw = try take(8)
        return raw.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
    }

    mutating func string() throws(ReplicationError) -> String {
        let raw = try take(try count())
        guard let string = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8") }
        return string
    }

    mutating func data() throws(ReplicationError) -> Data {
        Data(try take(try count()))
    }

    mutating func uuid() throws(ReplicationError) -> UUID {
        let raw = try take(16)
        return raw.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }

    private mutating func take(_ length: Int) throws(ReplicationError) -> ArraySlice<UInt8> {
        guard length >= 0, length <= bytes.count - offset else { throw fail("truncated field") }
        defer { offset += length }
        return bytes[offset..<offset + length]
    }
}
