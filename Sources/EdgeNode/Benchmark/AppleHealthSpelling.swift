import Domain

/// How Apple writes a sample's parts, for the generated exports: HealthKit identifiers, HealthKit's
/// units (SpO2 as a fraction), sleep as category values, the source device as an `HKDevice`
/// description.
enum AppleHealthSpelling {
    /// The type's HealthKit identifier.
    static func type(_ sample: HealthSample) -> String {
        HealthKitNames.identifier(of: sample.type)
    }

    /// The value as HealthKit states it: a number in `unit`, or a sleep category value.
    static func value(_ sample: HealthSample) -> String {
        HealthKitNames.sleepCategoryValue(of: sample.type) ?? "\(sample.type == .bloodOxygen ? sample.value / 100 : sample.value)"
    }

    static func unit(_ type: MetricType) -> String {
        switch type {
        case .heartRate, .restingHeartRate, .respiratoryRate: "count/min"
        case .bloodOxygen: "%"
        default: type.unit
        }
    }

    /// A device key (`name|manufacturer|model|hardware`) written as Apple writes an `HKDevice`.
    static func hkDevice(_ key: String) -> String {
        let parts = key.split(separator: "|").map(String.init)
        guard parts.count == 4 else { return key }
        return "<<HKDevice: 0x283ad4a00>, name:\(parts[0]), manufacturer:\(parts[1]), model:\(parts[2]), hardware:\(parts[3]), software:17.1>"
    }
}
