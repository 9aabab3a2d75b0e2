import Domain

/// Renders samples as the iOS app's Apple Health export JSON (`POST /wearables/import/apple-health`),
/// the shape a real iPhone sends.
enum AppleHealthExportJSON {
    static func render(_ samples: [HealthSample], deviceID: String) -> [UInt8] {
        var out = "{\"deviceId\":\"\(deviceID)\",\"userId\":\"ios-user\",\"exportTimestamp\":\"\(InstantText.string(samples.last?.end ?? 0))\",\"metrics\":["
        out.reserveCapacity(samples.count * 260)
        for (index, sample) in samples.enumerated() {
            if index > 0 { out += "," }
            let value = HealthKitNames.sleepCategoryValue(of: sample.type) == nil ? AppleHealthSpelling.value(sample) : "\"\(AppleHealthSpelling.value(sample))\""
            out += "{\"type\":\"\(AppleHealthSpelling.type(sample))\",\"value\":\(value),\"unit\":\"\(AppleHealthSpelling.unit(sample.type))\","
            out += "\"startDate\":\"\(InstantText.string(sample.start))\",\"endDate\":\"\(InstantText.string(sample.end))\","
            out += "\"sourceApp\":\"com.apple.health\",\"metadata\":{\"device\":\"\(AppleHealthSpelling.hkDevice(sample.device))\"}}"
        }
        out += "]}"
        return Array(out.utf8)
    }
}
