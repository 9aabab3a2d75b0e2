import Domain
import Hummingbird
import NIOCore

/// The Health app's own export — `export.zip`, or the `export.xml` inside it — imported as it
/// streams in: the archive is unpacked, the XML read and the samples stored in transactions of
/// `samplesPerTransaction` while the upload is still arriving, so memory stays flat for a file of
/// any size. A file that breaks off keeps the samples stored before the break (importing the
/// whole file again adds only the rest) and answers 422 with the counts so far.
struct AppleHealthFileImport {
    static let samplesPerTransaction = 10_000

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
        var sniffed = false
        do {
            for try await chunk in body {
                try chunk.withUnsafeReadableBytes { bytes in
                    if !sniffed, !bytes.isEmpty {
                        sniffed = true
                        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {  // "PK\3\4"
                            zip = ZipEntryReader(wanted: Self.isExportXML)
                        }
                    }
                    let add = { (sample: IncomingSample) in batch.add(sample, patient: patient, device: sample.source, now: now) }
                    if let zip {
                        try zip.read(bytes) { try xml.read($0, record: add) }
                    } else {
                        try xml.read(bytes, record: add)
                    }
                }
                if batch.received >= Self.samplesPerTransaction {
                    try await store(&batch, in: &tally)
                }
            }
            try zip?.finish()
            try xml.finish()
            try await store(&batch, in: &tally)
        } catch let error as DomainError {
            throw Self.brokenOff(APIError(error), after: tally)
        } catch let error as APIError {
            throw Self.brokenOff(error, after: tally)
        }
        return tally.report(patient: patient)
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

    /// The archive entry that is the export: `apple_health_export/export.xml` (not `export_cda.xml`).
    static func isExportXML(_ name: String) -> Bool {
        name == "export.xml" || name.hasSuffix("/export.xml")
    }

    private func store(_ batch: inout SampleBatch, in tally: inout IngestTally) async throws {
        let added = batch.samples.isEmpty ? 0 : try await metrics.ingest(batch.samples, of: patient, principal: principal, clientAddress: clientAddress)
        tally.add(batch, accepted: added)
        batch = SampleBatch()
    }
}
