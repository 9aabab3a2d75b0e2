import Foundation
import Testing
import Domain

@Suite struct InstantTextTests {
    @Test func parsesEveryAcceptedSpellingToTheSameInstant() {
        let expected: Int64 = 1_762_930_376_000  // 2025-11-12T06:52:56Z
        for text in ["2025-11-12T06:52:56Z", "2025-11-12T12:22:56+05:30", "2025-11-12T12:22:56+0530", "2025-11-12 12:22:56 +0530",
                     "2025-11-12T01:52:56-05:00", "2025-11-12t06:52:56z"] {
            #expect(InstantText.milliseconds(text) == expected, "\(text)")
        }
        #expect(InstantText.milliseconds("2025-11-12T06:52:56.250Z") == expected + 250)
        #expect(InstantText.milliseconds("2025-11-12T06:52:56.2Z") == expected + 200)
    }

    @Test func refusesTextThatNamesNoMoment() {
        for text in ["2025-11-12T06:52:56", "2025-11-12", "2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-11-12T24:00:00Z",
                     "2025-11-12T06:52:56Zjunk", "2025-11-12T06:52:56.Z", "", "yesterday", "2025-11-12T06:52:56+5:30"] {
            #expect(InstantText.milliseconds(text) == nil, "\(text)")
        }
    }

    @Test func agreesWithFoundationOnSeededRandomInstants() {
        var generator = SeededGenerator(state: 1111)
        let formatter = ISO8601DateFormatter()
        for _ in 0..<2000 {
            let seconds = Int64.random(in: 946_684_800...4_102_444_800, using: &generator)
            let offsetMinutes = Int.random(in: -12 * 4...14 * 4, using: &generator) * 15
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(InstantText.milliseconds(text) == seconds * 1000, "\(text)")
        }
    }
}

@Suite struct HealthKitNamesTests {
    @Test func resolvesIdentifiersDisplayNamesCamelCaseAndContractNames() {
        for name in ["HKQuantityTypeIdentifierHeartRate", "Heart Rate", "heartRate", "heart_rate"] {
            #expect(HealthKitNames.metric(named: name) == .heartRate, "\(name)")
        }
        #expect(HealthKitNames.metric(named: "Step Count") == .steps && HealthKitNames.metric(named: "stepCount") == .steps)
        #expect(HealthKitNames.metric(named: "HKQuantityTypeIdentifierActiveEnergyBurned") == .calories)
        #expect(HealthKitNames.metric(named: "Walking + Running Distance") == .distance)
        #expect(HealthKitNames.metric(named: "HKQuantityTypeIdentifierVO2Max") == .vo2Max)
        #expect(HealthKitNames.metric(named: "HKQuantityTypeIdentifierDietaryCaffeine") == nil)
        #expect(HealthKitNames.isSleepAnalysis("HKCategoryTypeIdentifierSleepAnalysis") && HealthKitNames.isSleepAnalysis("Sleep Analysis"))
    }

    @Test func resolvesEverySleepCategorySpelling() {
        let cases: [(String, MetricType)] = [
            ("HKCategoryValueSleepAnalysisInBed", .sleepInBed), ("Awake", .sleepAwake), ("AsleepUnspecified", .sleepAsleep),
            ("asleepCore", .sleepCore), ("HKCategoryValueSleepAnalysisAsleepDeep", .sleepDeep), ("AsleepREM", .sleepREM), ("5", .sleepREM),
        ]
        for (text, type) in cases { #expect(HealthKitNames.sleepCategory(text) == type, "\(text)") }
        #expect(HealthKitNames.sleepCategory("Napping") == nil)
    }
}

@Suite struct HealthSampleTests {
    let patient = Patient.ID(UUID())
    let now: Int64 = 1_763_000_000_000

    @Test func convertsUnitsToTheCanonicalOnes() throws {
        func value(_ type: String, _ value: Double, _ unit: String?) throws -> Double {
            try HealthSample(validating: .init(type: type, value: value, unit: unit, start: "2025-11-12T06:52:56Z"), patient: patient, device: "w", now: now).value
        }
        #expect(try value("HKQuantityTypeIdentifierDistanceWalkingRunning", 1500, "m") == 1.5)
        #expect(try abs(value("distance", 1, "mi") - 1.609344) < 1e-9)
        #expect(try value("heartRate", 72, "count/min") == 72)
        #expect(try value("Blood Oxygen", 0.97, "%") == 97)
        #expect(try abs(value("bodyTemperature", 98.6, "degF") - 37) < 1e-9)
        #expect(try abs(value("calories", 4184, "kJ") - 1000) < 1e-9)
        #expect(throws: SampleRejection.invalid("unit kg does not measure heart_rate")) { try value("heart_rate", 72, "kg") }
        #expect(throws: SampleRejection.invalid("heart_rate value out of range")) { try value("heart_rate", 900, "bpm") }
    }

    @Test func aSleepSampleIsItsIntervalInHoursUnderItsCategory() throws {
        let sample = try HealthSample(validating: .init(
            type: "HKCategoryTypeIdentifierSleepAnalysis", category: "HKCategoryValueSleepAnalysisAsleepDeep",
            start: "2025-11-12T01:00:00Z", end: "2025-11-12T02:30:00Z"
        ), patient: patient, device: "watch", now: now)
        #expect(sample.type == .sleepDeep && sample.value == 1.5 && sample.end - sample.start == 5_400_000)
        let numeric = try HealthSample(validating: .init(type: "sleepAnalysis", value: 0, start: "2025-11-12T01:00:00Z", end: "2025-11-12T02:00:00Z"),
                                       patient: patient, device: nil, now: now)
        #expect(numeric.type == .sleepInBed && numeric.device == "unknown")
        #expect(throws: SampleRejection.self) {
            try HealthSample(validating: .init(type: "Sleep Analysis", category: "Napping", start: "2025-11-12T01:00:00Z", end: "2025-11-12T02:00:00Z"),
                             patient: patient, device: nil, now: now)
        }
    }

    @Test func rejectsWhatCannotBeAFact() {
        func rejection(_ sample: IncomingSample) -> SampleRejection? {
            do { _ = try HealthSample(validating: sample, patient: patient, device: "w", now: now); return nil } catch { return error }
        }
        #expect(rejection(.init(type: "Dietary Caffeine", value: 1, start: "2025-11-12T06:52:56Z")) == .unknownType("Dietary Caffeine"))
        #expect(rejection(.init(type: "steps", value: 1, start: "2025-11-12T06:52:56")) != nil, "no zone")
        #expect(rejection(.init(type: "steps", value: 1, start: "2035-11-12T06:52:56Z")) != nil, "future")
        #expect(rejection(.init(type: "steps", value: 1, start: "1999-11-12T06:52:56Z")) != nil, "before 2000")
        #expect(rejection(.init(type: "steps", value: .nan, start: "2025-11-12T06:52:56Z")) != nil)
        #expect(rejection(.init(type: "steps", value: -5, start: "2025-11-12T06:52:56Z")) != nil)
        #expect(rejection(.init(type: "steps", value: 5, start: "2025-11-12T06:52:56Z", end: "2025-11-12T06:00:00Z")) != nil, "ends before it starts")
        #expect(rejection(.init(type: nil, value: 5, start: "2025-11-12T06:52:56Z")) != nil)
    }

    @Test func oneWatchIsOneSourceWhateverItsAddressAndSoftware() {
        let first = "<<HKDevice: 0x283ad4a00>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1>"
        let second = "<<HKDevice: 0x2819f1e50>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.2>"
        #expect(SourceDevice.key(first) == SourceDevice.key(second))
        #expect(SourceDevice.key(first) == "Apple Watch|Apple Inc.|Watch|Watch6,1")
        #expect(SourceDevice.key("  ios-device-id ") == "ios-device-id")
    }
}
