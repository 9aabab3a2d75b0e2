import CZlib

/// Streams one entry out of a ZIP archive read front to back, as it arrives: the archive need
/// not be seekable or whole, so an upload is unpacked while it is still being received. Entries
/// are walked by their local headers (sizes in ZIP64 extra fields, or unknown until a data
/// descriptor, as phones write them); the first entry whose name `wanted` accepts is inflated,
/// handed on in pieces of bounded size and checked against its CRC-32; every other one is skipped
/// (inflated only when its size is unknown: a DEFLATE stream ends itself). Memory holds one header,
/// the unread input and a 256 KiB window. Archives it cannot read fail with a 422 on `export`.
final class ZipEntryReader {
    static func failure(_ message: String) -> APIError { .unprocessable([.init(field: "export", message: message)]) }
    static let notAZip = failure("is not a ZIP archive")
    static let noEntry = failure("is a ZIP archive without apple_health_export/export.xml")
    static let truncated = failure("ends inside an entry: the archive is cut short")
    static let corrupt = failure("holds data that does not match its checksum or does not inflate: the archive is damaged")
    static func unsupported(_ what: String) -> APIError { failure("uses \(what), which the Health app's exports do not") }

    static let localHeader: UInt32 = 0x0403_4B50
    static let dataDescriptor: UInt32 = 0x0807_4B50
    /// Signatures after the last entry: the central directory, ZIP64's end record, the end record.
    static let directory: Set<UInt32> = [0x0201_4B50, 0x0606_4B50, 0x0605_4B50]

    private enum State {
        case header
        /// Stored (or skipped) bytes still to pass on (`deliver`) or skip.
        case stored(remaining: Int, deliver: Bool)
        /// A DEFLATE stream of unknown or unneeded size, followed by a data descriptor or not.
        case inflating(deliver: Bool, descriptor: Descriptor?)
        /// A data descriptor to read past (and, after the wanted entry, to check the CRC with).
        case descriptor(Descriptor, check: Bool)
        case done
    }

    private struct Descriptor {
        /// ZIP64 descriptors hold 8-byte sizes.
        let wide: Bool
    }

    private let wanted: (String) -> Bool
    private var state = State.header
    private var pending: [UInt8] = []
    private var sawHeader = false
    private let inflater = Inflater()
    /// The wanted entry's CRC-32 as its header states it (when no descriptor follows), and as computed.
    private var statedCRC: UInt32?
    private var crc = UInt32(0)

    /// The name of the entry found, once its header has been read.
    private(set) var entryName: String?
    var isDone: Bool { if case .done = state { true } else { false } }

    init(wanted: @escaping (String) -> Bool) {
        self.wanted = wanted
    }

    /// Adds the next piece of the archive.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard !isDone else { return }
        pending.append(contentsOf: bytes)
    }

    /// Unpacks what the pieces added so far hold, calling `entry` with each piece of the wanted
    /// entry's content; stops once about `limit` bytes were handed on and returns `true` when it
    /// stopped for that reason (call again), `false` when it needs more of the archive.
    func unpack(upTo limit: Int, entry: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var delivered = 0
        let (consumed, more) = try pending.withUnsafeBytes { bytes in
            try step(bytes) { piece in
                crc = crc32(uLong(crc), piece.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(piece.count)).truncatedCRC
                delivered += piece.count
                try entry(piece)
                return delivered >= limit
            }
        }
        pending.removeFirst(consumed)
        return more
    }

    /// Checks that the wanted entry was found and read to its end.
    func finish() throws {
        guard isDone else { throw sawHeader ? Self.truncated : Self.notAZip }
        guard entryName != nil else { throw Self.noEntry }
    }

    /// Walks `bytes`; `deliver` takes a piece of the wanted entry and says whether to pause.
    /// Returns how many bytes it consumed and whether it paused.
    private func step(_ bytes: UnsafeRawBufferPointer, deliver: (UnsafeRawBufferPointer) throws -> Bool) throws -> (Int, Bool) {
        var index = 0
        while index < bytes.count {
            switch state {
            case .done:
                return (bytes.count, false)
            case .header:
                guard bytes.count - index >= 4 else { return (index, false) }
                let signature = Self.uint32(bytes, index)
                if Self.directory.contains(signature), sawHeader {
                    if entryName == nil { throw Self.noEntry }
                    state = .done
                    continue
                }
                guard signature == Self.localHeader else { throw sawHeader ? Self.corrupt : Self.notAZip }
                guard bytes.count - index >= 30 else { return (index, false) }
                let nameLength = Int(Self.uint16(bytes, index + 26)), extraLength = Int(Self.uint16(bytes, index + 28))
                guard bytes.count - index >= 30 + nameLength + extraLength else { return (index, false) }
                sawHeader = true
                let flags = Self.uint16(bytes, index + 6), method = Self.uint16(bytes, index + 8), headerCRC = Self.uint32(bytes, index + 14)
                var size = UInt64(Self.uint32(bytes, index + 18))
                let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(index + 30)..<(index + 30 + nameLength)]), as: UTF8.self)
                let wide = Self.zip64Sizes(bytes, from: index + 30 + nameLength, count: extraLength)
                if let wide { size = wide.compressed }
                guard let compressedSize = Int(exactly: size) else { throw Self.corrupt }
                index += 30 + nameLength + extraLength
                guard flags & 1 == 0 else { throw Self.unsupported("encrypted entries") }
                let wantedHere = entryName == nil && wanted(name)
                let trailing = flags & 8 != 0 ? Descriptor(wide: wide != nil) : nil
                if wantedHere {
                    entryName = name
                    statedCRC = trailing == nil ? headerCRC : nil
                    switch method {
                    case 8: state = .inflating(deliver: true, descriptor: trailing)
                    case 0 where trailing == nil: state = .stored(remaining: compressedSize, deliver: true)
                    case 0: throw Self.unsupported("stored entries of unknown size")
                    default: throw Self.unsupported("compression method \(method)")
                    }
                } else if let trailing {
                    guard method == 8 else { throw Self.unsupported("entries of unknown size compressed with method \(method)") }
                    state = .inflating(deliver: false, descriptor: trailing)
                } else {
                    state = .stored(remaining: compressedSize, deliver: false)
                }
                if case .stored(0, true) = state { try endOfWantedEntry() }
            case .stored(let remaining, let passOn):
                let take = min(remaining, bytes.count - index)
                var paused = false
                if passOn { paused = try deliver(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)])) }
                index += take
                if remaining == take {
                    state = .header
                    if passOn { try endOfWantedEntry() }
                } else {
                    state = .stored(remaining: remaining - take, deliver: passOn)
                }
                if paused { return (index, true) }
            case .inflating(let passOn, let descriptor):
                var paused = false
                let (consumed, ended) = try inflater.inflate(UnsafeRawBufferPointer(rebasing: bytes[index...])) { output in
                    guard passOn else { return false }
                    paused = try deliver(output)
                    return paused
                }
                index += consumed
                if ended {
                    if let descriptor {
                        state = .descriptor(descriptor, check: passOn)
                    } else {
                        state = .header
                        if passOn { try endOfWantedEntry() }
                    }
                }
                if paused { return (index, true) }
                guard ended else { return (index, false) }
            case .descriptor(let descriptor, let check):
                let sizes = descriptor.wide ? 16 : 8
                guard bytes.count - index >= 4 + 4 + sizes else { return (index, false) }
                let signed = Self.uint32(bytes, index) == Self.dataDescriptor
                if check { statedCRC = Self.uint32(bytes, index + (signed ? 4 : 0)) }
                index += (signed ? 4 : 0) + 4 + sizes
                state = .header
                if check { try endOfWantedEntry() }
            }
        }
        return (index, false)
    }

    /// The wanted entry is read whole: its content must match its CRC-32.
    private func endOfWantedEntry() throws {
        guard statedCRC == crc else { throw Self.corrupt }
        state = .done
    }

    /// The sizes a ZIP64 extended-information extra field gives, if the header has one.
    private static func zip64Sizes(_ bytes: UnsafeRawBufferPointer, from: Int, count: Int) -> (uncompressed: UInt64, compressed: UInt64)? {
        var index = from
        while index + 4 <= from + count {
            let id = uint16(bytes, index), size = Int(uint16(bytes, index + 2))
            if id == 0x0001, size >= 16, index + 4 + 16 <= from + count {
                return (uint64(bytes, index + 4), uint64(bytes, index + 12))
            }
            index += 4 + size
        }
        return nil
    }

    private static func uint16(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func uint32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(uint16(bytes, at)) | UInt32(uint16(bytes, at + 2)) << 16
    }

    private static func uint64(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
    }
}

extension uLong {
    /// zlib's CRC-32 in its 32 bits.
    fileprivate var truncatedCRC: UInt32 { UInt32(truncatingIfNeeded: self) }
}

/// zlib's raw-DEFLATE decompressor. The stream lives at a fixed address (zlib keeps a pointer back
/// to it) and is reset for each entry.
private final class Inflater {
    private static let windowBytes = 256 << 10
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: windowBytes, alignment: 1)
    private var started = false

    init() {
        stream.initialize(to: z_stream())
    }

    deinit {
        if started { inflateEnd(stream) }
        stream.deallocate()
        output.deallocate()
    }

    /// Inflates `input`, handing each window of output to `body`, until the input is used up, the
    /// DEFLATE stream ends or `body` asks to pause; returns how many input bytes it consumed and
    /// whether the stream ended.
    func inflate(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> (consumed: Int, ended: Bool) {
        if !started {
            guard inflateInit2_(stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw ZipEntryReader.corrupt }
            started = true
        }
        guard let base = input.baseAddress, !input.isEmpty else { return (0, false) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        var result: Int32
        var paused = false
        repeat {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            result = CZlib.inflate(stream, Z_NO_FLUSH)
            guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else { throw ZipEntryReader.corrupt }
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { paused = try body(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
        } while result == Z_OK && !paused && (stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0)
        let consumed = input.count - Int(stream.pointee.avail_in)
        if result == Z_STREAM_END { inflateReset(stream) }
        return (consumed, result == Z_STREAM_END)
    }
}
