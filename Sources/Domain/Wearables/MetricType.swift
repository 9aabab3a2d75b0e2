/// The kinds of health metric the node stores, spelled as the API contract spells `metric_type`.
/// Each has one canonical unit; samples are converted to it on ingest (`MetricUnit`).
public enum MetricType: String, Sendable, CaseIterable, Hashable {
    case heartRate = "heart_rate"
    case restingHeartRate = "resting_heart_rate"
    case heartRateVariability = "heart_rate_variability"
    case steps
    case calories
    case distance
    case flightsClimbed = "flights_climbed"
    case vo2Max = "vo2_max"
    case bloodOxygen = "blood_oxygen"
    case respiratoryRate = "respiratory_rate"
    case bodyTemperature = "body_temperature"
    case bloodPressureSystolic = "blood_pressure_systolic"
    case bloodPressureDiastolic = "blood_pressure_diastolic"
    case weight
    /// Sleep analysis, one type per category value so that one device's in-bed and asleep samples
    /// starting at the same moment are distinct facts.
    case sleepInBed = "sleep_in_bed"
    case sleepAwake = "sleep_awake"
    case sleepAsleep = "sleep_asleep"
    case sleepCore = "sleep_core"
    case sleepDeep = "sleep_deep"
    case sleepREM = "sleep_rem"

    /// How samples of a type combine over a period.
    public enum Aggregation: Sendable {
        /// Amounts that add up (steps, energy, distance, flights).
        case sum
        /// Readings that average (rates, levels, measurements).
        case average
        /// Time intervals, merged before they are measured (sleep).
        case interval
    }

    public var aggregation: Aggregation {
        switch self {
        case .steps, .calories, .distance, .flightsClimbed: .sum
        case .sleepInBed, .sleepAwake, .sleepAsleep, .sleepCore, .sleepDeep, .sleepREM: .interval
        default: .average
        }
    }

    /// The unit every stored value of this type is in.
    public var unit: String {
        switch self {
        case .heartRate, .restingHeartRate: "bpm"
        case .heartRateVariability: "ms"
        case .steps, .flightsClimbed: "count"
        case .calories: "kcal"
        case .distance: "km"
        case .vo2Max: "mL/kg/min"
        case .bloodOxygen: "%"
        case .respiratoryRate: "breaths/min"
        case .bodyTemperature: "degC"
        case .bloodPressureSystolic, .bloodPressureDiastolic: "mmHg"
        case .weight: "kg"
        case .sleepInBed, .sleepAwake, .sleepAsleep, .sleepCore, .sleepDeep, .sleepREM: "hours"
        }
    }

    /// Values a single sample may take; anything outside is rejected as implausible.
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .heartRate, .restingHeartRate: 20...300
        case .heartRateVariability: 0...1000
        case .steps: 0...100_000
        case .calories: 0...20_000
        case .distance: 0...500
        case .flightsClimbed: 0...1000
        case .vo2Max: 5...100
        case .bloodOxygen: 50...100
        case .respiratoryRate: 2...80
        case .bodyTemperature: 25...45
        case .bloodPressureSystolic: 40...300
        case .bloodPressureDiastolic: 20...200
        case .weight: 0.5...700
        case .sleepInBed, .sleepAwake, .sleepAsleep, .sleepCore, .sleepDeep, .sleepREM: 0...24
        }
    }

    /// Types a clinician reads as vital signs (the patient's latest reading of each is shown).
    public var isVitalSign: Bool {
        switch self {
        case .heartRate, .restingHeartRate, .heartRateVariability, .bloodOxygen, .respiratoryRate, .bodyTemperature,
             .bloodPressureSystolic, .bloodPressureDiastolic, .weight, .vo2Max: true
        default: false
        }
    }

    /// Sleep types counted as asleep (time asleep = core + deep + REM + unspecified).
    public var isAsleep: Bool {
        [.sleepAsleep, .sleepCore, .sleepDeep, .sleepREM].contains(self)
    }
}
