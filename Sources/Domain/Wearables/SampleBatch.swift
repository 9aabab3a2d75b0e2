/// A batch of incoming samples, validated one by one: a bad sample is rejected with its reason,
/// and the rest of the batch stands.
public struct SampleBatch: Sendable {
    /// The samples to store.
    public private(set) var samples: [HealthSample] = []
    /// Rejected samples: their position in the batch and why.
    public private(set) var rejections: [(index: Int, reason: SampleRejection)] = []
    /// How many samples of each unknown type name were rejected.
    public private(set) var unknownTypes: [String: Int] = [:]
    public private(set) var received = 0
    private var names = SampleNames()

    public init() {}

    /// Validates `incoming` for `patient` (`device`: the batch's device, for samples naming none)
    /// and adds it to the batch.
    public mutating func add(_ incoming: IncomingSample, patient: Patient.ID, device: String?, now: Int64) {
        defer { received += 1 }
        do {
            samples.append(try HealthSample(validating: incoming, patient: patient, device: device, now: now, names: &names))
        } catch {
            rejections.append((received, error))
            if case .unknownType(let name) = error { unknownTypes[String(name.prefix(100)), default: 0] += 1 }
        }
    }
}
