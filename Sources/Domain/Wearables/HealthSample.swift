import Foundation

/// One health measurement as stored: an immutable fact, identified by its natural key
/// (patient, device, type, start) — the contract's unique index — so the same sample ingested
/// twice, or at two nodes, is one fact.
public struct HealthSample: Sendable, Equatable {
    public let patientID: Patient.ID
    /// The source device's stable key (`SourceDevice.key`).
    public let device: String
    public let type: MetricType
    /// Milliseconds since the epoch, UTC; `end == start` for an instantaneous reading.
    public let start: Int64
    public let end: Int64
    /// In the type's canonical unit (`MetricType.unit`); for sleep, the interval's length in hours.
    public let value: Double
    /// The app or device that recorded it, as the client named it.
    public let source: String?

    public init(patientID: Patient.ID, device: String, type: MetricType, start: Int64, end: Int64, value: Double, source: String?) {
        self.patientID = patientID
        self.device = device
        self.type = type
        self.start = start
        self.end = end
        self.value = value
        self.source = source
    }
}

/// A sample as a client sent it, in any of the accepted spellings, before validation.
public struct IncomingSample: Sendable {
    /// The metric's name: a contract `metric_type`, a HealthKit identifier, display or camelCase name.
    public var type: String?
    public var value: Double?
    /// A category sample's value as text (sleep: `HKCategoryValueSleepAnalysisAsleepCore`, `AsleepREM`, …).
    public var category: String?
    public var unit: String?
    public var start: String?
    public var end: String?
    public var source: String?
    /// The device the sample names itself (Apple's `device`), overriding the request's.
    public var device: String?

    public init(type: String?, value: Double? = nil, category: String? = nil, unit: String? = nil, start: String?, end: String? = nil,
                source: String? = nil, device: String? = nil) {
        self.type = type
        self.value = value
        self.category = category
        self.unit = unit
        self.start = start
        self.end = end
        self.source = source
        self.device = device
    }
}

/// Why one sample was not stored; the rest of its batch is unaffected.
public enum SampleRejection: Error, Sendable, Equatable {
    /// A metric the node does not store, under the name the client gave.
    case unknownType(String)
    case invalid(String)

    public var reason: String {
        switch self {
        case .unknownType(let name): "unknown metric type \(name.prefix(100))"
        case .invalid(let reason): reason
        }
    }
}

extension HealthSample {
    /// The earliest instant accepted (HealthKit itself starts in 2014).
    public static let earliest: Int64 = 946_684_800_000  // 2000-01-01
    /// How far ahead of the node's clock a sample may lie (clock drift on phones).
    public static let futureAllowance: Int64 = 86_400_000
    /// The longest single interval (a sleep sample longer than a day is an error).
    public static let longestInterval: Int64 = 86_400_000

    /// Validates one incoming sample of `patient` (`device`: the request's device when the sample
    /// names none), converting its value to the canonical unit.
    public init(validating sample: IncomingSample, patient: Patient.ID, device: String?, now: Int64) throws(SampleRejection) {
        var names = SampleNames()
        try self.init(validating: sample, patient: patient, device: device, now: now, names: &names)
    }

    /// As above, resolving names through `names`, which remembers them across a batch (a batch
    /// repeats a handful of type names, units and devices thousands of times).
    public init(validating sample: IncomingSample, patient: Patient.ID, device: String?, now: Int64, names: inout SampleNames) throws(SampleRejection) {
        guard let name = sample.type, !name.isEmpty else { throw .invalid("type is required") }
        guard let startText = sample.start, let start = InstantText.milliseconds(startText) else {
            throw .invalid("start must be an ISO 8601 instant with a time zone")
        }
        var end = start
        if let endText = sample.end {
            guard let parsed = InstantText.milliseconds(endText) else { throw .invalid("end must be an ISO 8601 instant with a time zone") }
            end = parsed
        }
        guard end >= start, end - start <= Self.longestInterval else { throw .invalid("end must be after start, within a day") }
        guard start >= Self.earliest, end <= now + Self.futureAllowance else { throw .invalid("start lies before 2000 or in the future") }
        let type: MetricType
        let value: Double
        let resolved = names.type(name)
        if resolved.isSleepAnalysis || resolved.metric?.aggregation == .interval {
            guard let stage = resolved.metric ?? sample.category.flatMap({ names.sleepCategory($0) })
                ?? sample.value.flatMap({ (0...9).contains($0) ? names.sleepCategory(String(Int($0))) : nil }) else {
                throw .invalid("sleep analysis needs a category: InBed, Awake, AsleepUnspecified, AsleepCore, AsleepDeep or AsleepREM")
            }
            guard end > start else { throw .invalid("a sleep sample needs an end after its start") }
            type = stage
            value = Double(end - start) / 3_600_000
        } else {
            guard let named = resolved.metric else { throw .unknownType(name) }
            guard let raw = sample.value, raw.isFinite else { throw .invalid("value must be a number") }
            guard let converted = names.converter(sample.unit, for: named).map({ $0(raw) }) else {
                throw .invalid("unit \(sample.unit?.prefix(40) ?? "") does not measure \(named.rawValue)")
            }
            guard named.plausibleRange.contains(converted) else { throw .invalid("\(named.rawValue) value out of range") }
            type = named
            value = converted
        }
        let deviceKey = names.device(sample.device ?? device ?? "")
        self.init(
            patientID: patient, device: deviceKey.isEmpty ? "unknown" : deviceKey, type: type, start: start, end: end, value: value,
            source: sample.source.map { String($0.prefix(200)) }
        )
    }
}

/// Name resolution remembered across a batch: type names, sleep categories, unit conversions and
/// device keys, each worked out once per distinct spelling.
public struct SampleNames: Sendable {
    private var types: [String: (metric: MetricType?, isSleepAnalysis: Bool)] = [:]
    private var categories: [String: MetricType?] = [:]
    private var converters: [String: MetricUnit.Converter?] = [:]
    private var devices: [String: String] = [:]

    public init() {}

    mutating func type(_ name: String) -> (metric: MetricType?, isSleepAnalysis: Bool) {
        if let known = types[name] { return known }
        let resolved = (HealthKitNames.metric(named: name), HealthKitNames.isSleepAnalysis(name))
        types[name] = resolved
        return resolved
    }

    mutating func sleepCategory(_ value: String) -> MetricType? {
        if let known = categories[value] { return known }
        let resolved = HealthKitNames.sleepCategory(value)
        categories[value] = resolved
        return resolved
    }

    mutating func converter(_ unit: String?, for type: MetricType) -> MetricUnit.Converter? {
        let key = type.rawValue + "|" + (unit ?? "")
        if let known = converters[key] { return known }
        let resolved = MetricUnit.converter(unit: unit, for: type)
        converters[key] = resolved
        return resolved
    }

    mutating func device(_ description: String) -> String {
        if let known = devices[description] { return known }
        let key = SourceDevice.key(description)
        devices[description] = key
        return key
    }
}
