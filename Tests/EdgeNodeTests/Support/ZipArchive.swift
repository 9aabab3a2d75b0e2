import CZlib
import Foundation

/// Writes ZIP archives for tests, entry by entry, the ways phones and tools write them: deflated
/// with sizes in the local header, deflated with a data descriptor after the data (sizes
/// unknown while streaming, as iOS writes export.zip), or stored with ZIP64 sizes.
struct ZipArchive {
    enum Layout {
        case deflated
        case deflatedWithDescriptor
        case storedZip64
    }

    private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var entries = 0

    mutating func add(_ name: String, _ content: [UInt8], _ layout: Layout) {
        let crc = UInt32(content.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
        let data = layout == .storedZip64 ? content : Self.deflate(content)
        let offset = bytes.count
        let nameBytes = Array(name.utf8)
        var header: [UInt8] = []
        header += Self.le(UInt32(0x0403_4B50), 4) + Self.le(45, 2)
        header += Self.le(layout == .deflatedWithDescriptor ? 8 : 0, 2) + Self.le(layout == .storedZip64 ? 0 : 8, 2) + Self.le(0, 4)
        switch layout {
        case .deflated: header += Self.le(crc, 4) + Self.le(data.count, 4) + Self.le(content.count, 4)
        case .deflatedWithDescriptor: header += Self.le(0, 12)
        case .storedZip64: header += Self.le(crc, 4) + Self.le(0xFFFF_FFFF, 4) + Self.le(0xFFFF_FFFF, 4)
        }
        let extra = layout == .storedZip64 ? Self.le(1, 2) + Self.le(16, 2) + Self.le(content.count, 8) + Self.le(data.count, 8) : []
        header += Self.le(nameBytes.count, 2) + Self.le(extra.count, 2) + nameBytes + extra
        bytes += header + data
        if layout == .deflatedWithDescriptor {
            bytes += Self.le(UInt32(0x0807_4B50), 4) + Self.le(crc, 4) + Self.le(data.count, 4) + Self.le(content.count, 4)
        }
        directory += Self.le(UInt32(0x0201_4B50), 4) + Self.le(45, 2) + Array(header[4..<30]) + Self.le(0, 8) + Self.le(0, 4) + Self.le(offset, 4) + nameBytes
        entries += 1
    }

    /// The archive with its central directory and end record.
    var archive: [UInt8] {
        bytes + directory + Self.le(UInt32(0x0605_4B50), 4) + Self.le(0, 4) + Self.le(entries, 2) + Self.le(entries, 2)
            + Self.le(directory.count, 4) + Self.le(bytes.count, 4) + Self.le(0, 2)
    }

    static func deflate(_ content: [UInt8]) -> [UInt8] {
        // zlib keeps a pointer back to its stream: it must stay at one address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        deflateInit2_(stream, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(content.count))))
        var input = content
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = uInt(target.count)
                CZlib.deflate(stream, Z_FINISH)
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    private static func le<T: BinaryInteger>(_ value: T, _ count: Int) -> [UInt8] {
        let number = UInt64(truncatingIfNeeded: value)
        return (0..<count).map { UInt8(truncatingIfNeeded: number >> (8 * UInt64($0))) }
    }
}
