import Foundation
import Testing
import Domain

@Suite struct AppleHealthXMLReaderTests {
    /// A small export as the Health app writes it: byte-order mark, DOCTYPE with an internal
    /// subset (comments, `>` inside it), a record with metadata children, escaped device
    /// descriptions, a sleep category, a record in single quotes, elements the reader skips.
    static let export = "\u{FEFF}" + """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE HealthData [
        <!-- HealthKit Export Version: 13 -->
        <!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout)*)>
        <!ATTLIST Record
          type CDATA #REQUIRED
          value CDATA #IMPLIED
        >
        ]>
        <HealthData locale="en_IN">
         <ExportDate value="2025-11-13 12:00:00 +0530"/>
         <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-04-12"/>
         <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Priya’s Apple Watch" sourceVersion="10.1" device="&lt;&lt;HKDevice: 0x283ad4a00&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1&gt;" unit="count/min" creationDate="2025-11-12 12:23:10 +0530" startDate="2025-11-12 12:22:56 +0530" endDate="2025-11-12 12:22:56 +0530" value="79">
          <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>
         </Record>
         <!-- a comment with <Record type="fake"/> inside -->
         <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Priya&#8217;s Apple Watch" startDate="2025-11-12 06:30:00 +0530" endDate="2025-11-12 08:00:00 +0530" value="HKCategoryValueSleepAnalysisAsleepCore"/>
         <Record type='HKQuantityTypeIdentifierStepCount' sourceName='Health &amp; Fitness' unit='count' startDate='2025-11-12 12:30:00 +0530' endDate='2025-11-12 12:40:00 +0530' value='420'/>
         <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30"><WorkoutEvent type="pause"/></Workout>
         <ActivitySummary dateComponents="2025-11-12" activeEnergyBurned="420"/>
        </HealthData>

        """

    static func read(_ text: String, chunk: Int) throws -> [IncomingSample] {
        var reader = AppleHealthXMLReader()
        var samples: [IncomingSample] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            try bytes[start..<min(start + chunk, bytes.count)].withUnsafeBytes { try reader.read($0) { samples.append($0) } }
        }
        try reader.finish()
        return samples
    }

    @Test func recordsComeOutWithTheirAttributesDecodedWhateverTheChunking() throws {
        let whole = try Self.read(Self.export, chunk: 1 << 20)
        #expect(whole.count == 3)
        let heart = try #require(whole.first)
        #expect(heart.type == "HKQuantityTypeIdentifierHeartRate" && heart.value == 79 && heart.unit == "count/min" && heart.category == nil)
        #expect(heart.start == "2025-11-12 12:22:56 +0530" && heart.end == heart.start && heart.source == "Priya’s Apple Watch")
        #expect(heart.device == "<<HKDevice: 0x283ad4a00>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1>")
        #expect(whole[1].category == "HKCategoryValueSleepAnalysisAsleepCore" && whole[1].value == nil && whole[1].source == "Priya’s Apple Watch")
        #expect(whole[2].type == "HKQuantityTypeIdentifierStepCount" && whole[2].value == 420 && whole[2].source == "Health & Fitness")
        // The samples validate as the JSON import's do: Apple's local times, units, categories.
        let patient = Patient.ID(UUID())
        let now = InstantText.milliseconds("2025-11-13T00:00:00Z")!
        let heartSample = try HealthSample(validating: heart, patient: patient, device: heart.source, now: now)
        #expect(heartSample.start == InstantText.milliseconds("2025-11-12T06:52:56Z") && heartSample.device == "Apple Watch|Apple Inc.|Watch|Watch6,1")
        #expect(try HealthSample(validating: whole[1], patient: patient, device: nil, now: now).type == .sleepCore)

        // Split at every size from one byte up: the same records.
        for chunk in [1, 2, 3, 5, 7, 13, 64, 333] {
            let pieces = try Self.read(Self.export, chunk: chunk)
            #expect(pieces.map(\.type) == whole.map(\.type) && pieces.map(\.device) == whole.map(\.device) && pieces.map(\.start) == whole.map(\.start),
                    "chunks of \(chunk) bytes")
        }
    }

    @Test func whatIsNotAnExportOrIsCutShortFailsClearly() throws {
        func message(_ text: String, chunk: Int = 1 << 20) -> String? {
            do {
                _ = try Self.read(text, chunk: chunk)
                return nil
            } catch let DomainError.invalid(issues) {
                return issues.first.map { "\($0.field) \($0.message)" }
            } catch {
                return "\(error)"
            }
        }
        #expect(message(#"{"metrics": []}"#)?.hasPrefix("export is not an Apple Health export.xml") == true)
        #expect(message("<?xml version=\"1.0\"?><html><body/></html>")?.hasPrefix("export is not an Apple Health export.xml") == true)
        #expect(message("") != nil)
        let cut = String(Self.export.prefix(Self.export.count - 40))
        #expect(message(cut) == "export ends before </HealthData>: the file is cut short")
        #expect(message(cut, chunk: 7) == "export ends before </HealthData>: the file is cut short")
        #expect(message(Self.export + "<Record/>")?.contains("after the end of HealthData") == true)
        // One construct larger than the limit is refused rather than buffered.
        let endless = "<HealthData><Record value=\"" + String(repeating: "x", count: AppleHealthXMLReader.longestMarkup + 10)
        #expect(message(endless, chunk: 64 << 10)?.contains("longer than 1 MiB") == true)
    }

    /// A long construct arriving in small pieces is searched once, not again from its start with
    /// every piece; references XML does not allow stay as written.
    @Test func longConstructsInSmallPiecesAndStrictReferences() throws {
        let long = String(repeating: "a>b'c", count: 60_000)  // 300 KB, with '>' and apostrophes inside the quotes
        let text = "<HealthData><!-- " + String(repeating: "-> ", count: 20_000) + " -->"
            + "<Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"\(long)\" value=\"70\" startDate=\"2025-11-12 12:00:00 +0530\"/>"
            + "<Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"a&#0;b&#+65;c&#x41;&amp\" value=\"5\" startDate=\"2025-11-12 12:00:00 +0530\"/>"
            + "</HealthData><!---->\n"
        let records = try Self.read(text, chunk: 64)
        #expect(records.count == 2 && records[0].source == long && records[0].value == 70)
        #expect(records[1].source == "a&#0;b&#+65;cA&amp")
    }
}
