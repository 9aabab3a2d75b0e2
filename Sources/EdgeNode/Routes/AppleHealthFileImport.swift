import Domain
import Hummingbird
import NIOCore

/// The Health app's own export — `export.zip`, or the `export.xml` inside it — imported as it
/// streams in: the archive is unpacked, the XML read and the samples stored in transactions of
/// about `samplesPerTransaction` while the upload is still arriving. The XML is read in slices of
/// at most `sliceBytes` (a slice holds a few thousand records), so memory stays flat for a file
/// of any size and however the body is chunked. A file that breaks off keeps the samples stored
/// before the break (importing the whole file again adds only the rest) and answers 422 with the
/// counts so far.
struct AppleHealthFileImport {
    static let samplesPerTransaction = 10_000
    static let sliceBytes = 1 << 20

    let metrics: HealthMetricRepository
    let patient: Patient.ID
    let principal: Principal
    let now: Int64
    let clientAddress: String?

    func run(_ body: some AsyncSequence<ByteBuffer, any Error>) async throws -> IngestReport {
        var tally = IngestTally()
        var batch = SampleBatch()
        var xml = AppleHealthXMLReader()
        var zip: ZipEntryReader?
        func add(_ sample: IncomingSample) { batch.add(sample, patient: patient, device: sample.source, now: now) }
        func flush(always: Bool) async throws {
            guard always || batch.received >= Self.samplesPerTransaction else { return }
            let added = try await metrics.ingest(batch.samples, of: patient, principal: principal, clientAddress: clientAddress)
            tally.add(batch, accepted: added)
            batch = SampleBatch()
        }
        func consume(_ chunk: ByteBuffer) async throws {
            var chunk = chunk
            if let zip {
                chunk.withUnsafeReadableBytes { zip.append($0) }
                while try zip.unpack(upTo: Self.sliceBytes, entry: { try xml.read($0, record: add) }) {
                    try await flush(always: false)
                }
                try await flush(always: false)
            } else {
                while chunk.readableBytes > 0, let slice = chunk.readSlice(length: min(Self.sliceBytes, chunk.readableBytes)) {
                    try slice.withUnsafeReadableBytes { try xml.read($0, record: add) }
                    try await flush(always: false)
                }
            }
        }
        do {
            var head = ByteBuffer(), sniffed = false  // the first bytes, until there are enough to tell a ZIP from XML
            for try await chunk in body {
                if sniffed {
                    try await consume(chunk)
                    continue
                }
                head.writeImmutableBuffer(chunk)
                guard head.readableBytes >= 4 else { continue }
                sniffed = true
                if head.readableBytesView.starts(with: [0x50, 0x4B, 0x03, 0x04]) { zip = ZipEntryReader(wanted: Self.isExportXML) }  // "PK\3\4"
                try await consume(head)
                head = ByteBuffer()
            }
            if !sniffed { try await consume(head) }
            try zip?.finish()
            try xml.finish()
            try await flush(always: true)
        } catch let error as DomainError {
            throw Self.brokenOff(APIError(error), after: tally)
        } catch let error as APIError {
            throw Self.brokenOff(error, after: tally)
        }
        return tally.report(patient: patient)
    }

    /// The archive entry that is the export: `apple_health_export/export.xml` (not `export_cda.xml`).
    static func isExportXML(_ name: String) -> Bool {
        name == "export.xml" || name.hasSuffix("/export.xml")
    }

    /// A failure after some samples were stored says how many: they stay.
    private static func brokenOff(_ error: APIError, after tally: IngestTally) -> APIError {
        guard tally.received > 0 else { return error }
        return APIError(
            status: error.status, code: error.code,
            detail: error.detail + "; the \(tally.received) records before it were imported (\(tally.accepted) new): sending the complete file again adds only the rest",
            fields: error.fields
        )
    }
}
