import Domain
import Foundation

/// `POST /wearables/sync`: the contract's body. Samples decode leniently (`LenientSample`), so a
/// malformed sample is rejected alone while a malformed body is a 4xx.
struct SyncForm: Decodable {
    var patientId: String?
    var deviceId: String?
    var metrics: [ContractSample]
}

/// One iOS Apple Health export (`deviceId`, `userId`, `exportTimestamp`, `metrics`). Its keys are
/// camelCase on the wire, which the API decoder's snake-case conversion leaves as they are.
struct AppleHealthExport: Decodable {
    var deviceId: String?
    var metrics: [ExportSample]
}

/// A sample of `/wearables/sync`: `metric_type`, `value`, `unit`, `timestamp`, optional
/// `end_timestamp` and `source`. Fields of the wrong type read as missing.
struct ContractSample: Decodable {
    let incoming: IncomingSample

    private enum Keys: String, CodingKey {
        case metricType, value, unit, timestamp, endTimestamp, source, deviceId
    }

    init(from decoder: any Decoder) throws {
        let fields = try? decoder.container(keyedBy: Keys.self)
        let value = fields.flatMap { try? $0.decodeIfPresent(SampleValue.self, forKey: .value) }
        incoming = IncomingSample(
            type: fields?.lenient(.metricType), value: value?.number, category: value?.text, unit: fields?.lenient(.unit),
            start: fields?.lenient(.timestamp), end: fields?.lenient(.endTimestamp), source: fields?.lenient(.source), device: fields?.lenient(.deviceId)
        )
    }
}

/// A sample of an Apple Health export: HealthKit `type`, `value` (a number, or a category's
/// name), `unit`, `startDate`, `endDate`, `sourceApp`, and `metadata.device`.
struct ExportSample: Decodable {
    let incoming: IncomingSample

    private enum Keys: String, CodingKey {
        case type, value, unit, startDate, endDate, sourceApp, metadata
    }

    private enum MetadataKeys: String, CodingKey {
        case device
    }

    init(from decoder: any Decoder) throws {
        let fields = try? decoder.container(keyedBy: Keys.self)
        let value = fields.flatMap { try? $0.decodeIfPresent(SampleValue.self, forKey: .value) }
        let metadata = fields.flatMap { try? $0.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata) }
        incoming = IncomingSample(
            type: fields?.lenient(.type), value: value?.number, category: value?.text, unit: fields?.lenient(.unit),
            start: fields?.lenient(.startDate), end: fields?.lenient(.endDate), source: fields?.lenient(.sourceApp),
            device: metadata?.lenient(.device)
        )
    }
}

/// A sample's value: a number, or text (a category such as `HKCategoryValueSleepAnalysisAsleepCore`,
/// or a number written as text).
struct SampleValue: Decodable {
    let number: Double?
    let text: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            (self.number, text) = (number, nil)
        } else {
            let text = try container.decode(String.self)
            (self.number, self.text) = (Double(text), text)
        }
    }
}

extension KeyedDecodingContainer {
    /// A string field, or `nil` when it is absent or not a string.
    func lenient(_ key: Key) -> String? {
        (try? decodeIfPresent(String.self, forKey: key)) ?? nil
    }
}
