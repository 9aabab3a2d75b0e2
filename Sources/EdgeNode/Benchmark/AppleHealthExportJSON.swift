import Domain

/// Renders samples as the iOS app's Apple Health export JSON (`POST /wearables/import/apple-health`):
/// HealthKit identifiers, HealthKit's units (SpO2 as a fraction), sleep as category values and
/// the source device as an `HKDevice` description — the shape a real iPhone sends.
enum AppleHealthExportJSON {
    static func render(_ samples: [HealthSample], deviceID: String) -> [UInt8] {
        var out = "{\"deviceId\":\"\(deviceID)\",\"userId\":\"ios-user\",\"exportTimestamp\":\"\(InstantText.string(samples.last?.end ?? 0))\",\"metrics\":["
        out.reserveCapacity(samples.count * 260)
        for (index, sample) in samples.enumerated() {
            if index > 0 { out += "," }
            let value: String
            if let category = HealthKitNames.sleepCategoryValue(of: sample.type) {
                value = "\"\(category)\""
            } else {
                value = "\(sample.type == .bloodOxygen ? sample.value / 100 : sample.value)"
            }
            out += "{\"type\":\"\(HealthKitNames.identifier(of: sample.type))\",\"value\":\(value),\"unit\":\"\(unit(sample.type))\","
            out += "\"startDate\":\"\(InstantText.string(sample.start))\",\"endDate\":\"\(InstantText.string(sample.end))\","
            out += "\"sourceApp\":\"com.apple.health\",\"metadata\":{\"device\":\"\(hkDevice(sample.device))\"}}"
        }
        out += "]}"
        return Array(out.utf8)
    }

    private static func unit(_ type: MetricType) -> String {
        switch type {
        case .heartRate, .restingHeartRate, .respiratoryRate: "count/min"
        case .bloodOxygen: "%"
        default: type.unit
        }
    }

    /// A device key (`name|manufacturer|model|hardware`) written as Apple writes an `HKDevice`.
    private static func hkDevice(_ key: String) -> String {
        let parts = key.split(separator: "|").map(String.init)
        guard parts.count == 4 else { return key }
        return "<<HKDevice: 0x283ad4a00>, name:\(parts[0]), manufacturer:\(parts[1]), model:\(parts[2]), hardware:\(parts[3]), software:17.1>"
    }
}
