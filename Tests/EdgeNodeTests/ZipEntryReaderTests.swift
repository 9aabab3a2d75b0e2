import Foundation
import Testing
@testable import EdgeNode

@Suite struct ZipEntryReaderTests {
    static let xml = Array(String(repeating: "<Record type=\"HKQuantityTypeIdentifierHeartRate\" value=\"72\"/>\n", count: 2_000).utf8)

    /// export.zip as iOS writes it: other entries before and after export.xml, sizes in data
    /// descriptors; plus a stored ZIP64 entry.
    static var archive: [UInt8] {
        var zip = ZipArchive()
        zip.add("apple_health_export/export_cda.xml", Array(String(repeating: "<cda/>", count: 5_000).utf8), .deflatedWithDescriptor)
        zip.add("apple_health_export/workout-routes/route_2025-11-12.gpx", Array("<gpx/>".utf8), .storedZip64)
        zip.add("apple_health_export/electrocardiograms/ecg.csv", Array("a,b\n".utf8), .deflated)
        zip.add("apple_health_export/export.xml", xml, .deflatedWithDescriptor)
        zip.add("apple_health_export/later.txt", Array("after".utf8), .deflated)
        return zip.archive
    }

    static func extract(_ archive: [UInt8], chunk: Int) throws -> [UInt8] {
        let reader = ZipEntryReader(wanted: AppleHealthFileImport.isExportXML)
        var out: [UInt8] = []
        for start in stride(from: 0, to: archive.count, by: chunk) {
            archive[start..<min(start + chunk, archive.count)].withUnsafeBytes { reader.append($0) }
            // Small pieces out: the reader pauses every 1,000 bytes and resumes where it paused.
            while try reader.unpack(upTo: 1000, entry: { out += $0 }) {}
        }
        try reader.finish()
        #expect(reader.entryName?.hasSuffix("export.xml") == true)
        return out
    }

    @Test func theWantedEntryIsInflatedFromAStreamCutAnywhere() throws {
        let archive = Self.archive
        for chunk in [1, 2, 3, 29, 30, 31, 100, 4096, archive.count] {
            #expect(try Self.extract(archive, chunk: chunk) == Self.xml, "chunks of \(chunk) bytes")
        }
        var stored = ZipArchive()
        stored.add("export.xml", Self.xml, .storedZip64)
        #expect(try Self.extract(stored.archive, chunk: 1000) == Self.xml)
        var sized = ZipArchive()
        sized.add("apple_health_export/export.xml", Self.xml, .deflated)
        #expect(try Self.extract(sized.archive, chunk: 7) == Self.xml)
    }

    @Test func archivesWithoutTheEntryOrCutShortOrDamagedFailClearly() throws {
        func failure(_ archive: [UInt8]) -> String? {
            do {
                _ = try Self.extract(archive, chunk: 512)
                return nil
            } catch let error as APIError {
                return error.fields.first?.message
            } catch {
                return "\(error)"
            }
        }
        var without = ZipArchive()
        without.add("apple_health_export/export_cda.xml", Array("<cda/>".utf8), .deflatedWithDescriptor)
        #expect(failure(without.archive) == "is a ZIP archive without apple_health_export/export.xml")
        #expect(failure(Array(Self.archive.prefix(Self.archive.count / 2))) == "ends inside an entry: the archive is cut short")
        #expect(failure(Array("not a zip at all".utf8)) == "is not a ZIP archive")
        var one = ZipArchive()
        one.add("export.xml", Self.xml, .deflated)
        var damaged = one.archive
        damaged[30 + "export.xml".utf8.count] = 0xFF  // the first DEFLATE block header: a reserved block type
        #expect(failure(damaged) == "holds data that does not match its checksum or does not inflate: the archive is damaged")
        // A stored export whose bytes changed: the CRC-32 tells.
        var stored = ZipArchive()
        stored.add("apple_health_export/export.xml", Self.xml, .storedZip64)
        var altered = stored.archive
        let content = try #require(altered.firstRange(of: Array("<Record".utf8)))
        altered[content.lowerBound + 1] = UInt8(ascii: "X")
        #expect(failure(altered) == "holds data that does not match its checksum or does not inflate: the archive is damaged")
    }
}
