import Domain
import Hummingbird

/// What an ingest did: every sample received is accepted (new), a duplicate (known already) or
/// rejected (with the first reasons listed by position).
struct IngestReport: ResponseEncodable {
    static let listedRejections = 100

    struct Rejection: Encodable {
        let index: Int
        let reason: String
    }

    struct UnknownType: Encodable {
        let type: String
        let count: Int
    }

    let patientId: String
    let received: Int
    let accepted: Int
    let duplicates: Int
    let rejected: Int
    let unknownTypes: [UnknownType]
    let rejections: [Rejection]
}

/// The counts of an ingest, added up batch after batch (a streamed import stores many).
struct IngestTally {
    /// How many distinct unknown type names are counted (a real export has a few dozen).
    static let listedUnknownTypes = 1_000

    private(set) var received = 0
    private(set) var accepted = 0
    private var duplicates = 0
    private var rejected = 0
    private var unknownTypes: [String: Int] = [:]
    private var rejections: [IngestReport.Rejection] = []

    /// Counts `batch`, of which `accepted` samples were new; rejections keep their position in
    /// the whole ingest.
    mutating func add(_ batch: SampleBatch, accepted added: Int) {
        for rejection in batch.rejections.prefix(IngestReport.listedRejections - rejections.count) {
            rejections.append(.init(index: received + rejection.index, reason: rejection.reason.reason))
        }
        received += batch.received
        accepted += added
        duplicates += batch.samples.count - added
        rejected += batch.rejections.count
        for (name, count) in batch.unknownTypes where unknownTypes[name] != nil || unknownTypes.count < Self.listedUnknownTypes {
            unknownTypes[name, default: 0] += count
        }
    }

    func report(patient: Patient.ID) -> IngestReport {
        IngestReport(
            patientId: patient.description, received: received, accepted: accepted, duplicates: duplicates, rejected: rejected,
            unknownTypes: unknownTypes.sorted { $0.key < $1.key }.map { .init(type: $0.key, count: $0.value) }, rejections: rejections
        )
    }
}
