import Domain

/// The row id of a health sample spells its natural key, `patient|type|start|device`, with the
/// start as 13 digits so that ids sort by time (the schema checks the same spelling).
enum HealthMetricIDs {
    static func id(of sample: HealthSample) -> String {
        prefix(patient: sample.patientID.description, type: sample.type) + padded(sample.start) + "|" + sample.device
    }

    /// The ids of one patient's samples of one type all start with this.
    static func prefix(patient: String, type: MetricType) -> String {
        patient + "|" + type.rawValue + "|"
    }

    /// Milliseconds as exactly 13 digits (`printf('%013d')`), for instants from 1970 to 2286.
    static func padded(_ milliseconds: Int64) -> String {
        let digits = String(max(0, milliseconds))
        return digits.count >= 13 ? digits : String(repeating: "0", count: 13 - digits.count) + digits
    }
}
