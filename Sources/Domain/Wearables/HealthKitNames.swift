/// Resolves the names clients give a metric or a sleep category to the node's types: HealthKit
/// identifiers (`HKQuantityTypeIdentifierHeartRate`), the iOS display names ("Heart Rate"),
/// camelCase names (`heartRate`) and the contract's own spellings (`heart_rate`) alike. Names are
/// compared without case, spaces, underscores or punctuation.
public enum HealthKitNames {
    /// The metric a name stands for; `nil` for a type the node does not store, and for sleep
    /// analysis, whose type depends on the sample's category value (`sleepCategory`).
    public static func metric(named name: String) -> MetricType? {
        metrics[key(name, droppingPrefixes: typePrefixes)]
    }

    /// Whether a name is HealthKit's sleep analysis.
    public static func isSleepAnalysis(_ name: String) -> Bool {
        sleepNames.contains(key(name, droppingPrefixes: typePrefixes))
    }

    /// The sleep type of a category value: `HKCategoryValueSleepAnalysisAsleepCore`, `AsleepCore`,
    /// `asleepCore` or HealthKit's raw number (0 in bed … 5 REM).
    public static func sleepCategory(_ value: String) -> MetricType? {
        sleepCategories[key(value, droppingPrefixes: ["hkcategoryvaluesleepanalysis"])]
    }

    /// HealthKit's identifier of a type (`HKQuantityTypeIdentifierHeartRate`; sleep types are all
    /// `HKCategoryTypeIdentifierSleepAnalysis`, told apart by `sleepCategoryValue`).
    public static func identifier(of type: MetricType) -> String {
        if type.aggregation == .interval { return "HKCategoryTypeIdentifierSleepAnalysis" }
        return "HKQuantityTypeIdentifier" + (names.first { $0.0 == type }?.1.first ?? type.rawValue)
    }

    /// HealthKit's category value of a sleep type (`HKCategoryValueSleepAnalysisAsleepCore`); `nil`
    /// for a type that is not sleep.
    public static func sleepCategoryValue(of type: MetricType) -> String? {
        let names: [MetricType: String] = [
            .sleepInBed: "InBed", .sleepAwake: "Awake", .sleepAsleep: "AsleepUnspecified", .sleepCore: "AsleepCore", .sleepDeep: "AsleepDeep",
            .sleepREM: "AsleepREM",
        ]
        return names[type].map { "HKCategoryValueSleepAnalysis" + $0 }
    }

    private static let typePrefixes = ["hkquantitytypeidentifier", "hkcategorytypeidentifier"]

    private static let sleepNames: Set<String> = ["sleepanalysis", "sleep"]

    private static let sleepCategories: [String: MetricType] = [
        "inbed": .sleepInBed, "0": .sleepInBed, "asleep": .sleepAsleep, "asleepunspecified": .sleepAsleep, "1": .sleepAsleep,
        "awake": .sleepAwake, "2": .sleepAwake, "asleepcore": .sleepCore, "core": .sleepCore, "3": .sleepCore,
        "asleepdeep": .sleepDeep, "deep": .sleepDeep, "4": .sleepDeep, "asleeprem": .sleepREM, "rem": .sleepREM, "5": .sleepREM,
    ]

    /// HealthKit's identifier suffixes and iOS display names of each type.
    private static let names: [(MetricType, [String])] = [
        (.heartRate, ["HeartRate"]),
        (.restingHeartRate, ["RestingHeartRate"]),
        (.heartRateVariability, ["HeartRateVariabilitySDNN", "Heart Rate Variability"]),
        (.steps, ["StepCount", "Steps"]),
        (.calories, ["ActiveEnergyBurned", "Active Energy", "Active Calories"]),
        (.distance, ["DistanceWalkingRunning", "Walking + Running Distance", "Walking Running Distance"]),
        (.flightsClimbed, ["FlightsClimbed", "Flights"]),
        (.vo2Max, ["VO2Max", "Cardio Fitness"]),
        (.bloodOxygen, ["OxygenSaturation", "Blood Oxygen", "SpO2"]),
        (.respiratoryRate, ["RespiratoryRate"]),
        (.bodyTemperature, ["BodyTemperature", "Temperature"]),
        (.bloodPressureSystolic, ["BloodPressureSystolic", "Systolic Blood Pressure"]),
        (.bloodPressureDiastolic, ["BloodPressureDiastolic", "Diastolic Blood Pressure"]),
        (.weight, ["BodyMass", "Weight"]),
    ]

    private static let metrics: [String: MetricType] = {
        var table: [String: MetricType] = [:]
        for type in MetricType.allCases { table[key(type.rawValue, droppingPrefixes: [])] = type }
        for (type, spellings) in names {
            for spelling in spellings { table[key(spelling, droppingPrefixes: [])] = type }
        }
        return table
    }()

    /// Lowercase letters and digits only, without a leading HealthKit prefix.
    private static func key(_ name: String, droppingPrefixes prefixes: [String]) -> String {
        let folded = String(name.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
        for prefix in prefixes where folded.hasPrefix(prefix) { return String(folded.dropFirst(prefix.count)) }
        return folded
    }
}
