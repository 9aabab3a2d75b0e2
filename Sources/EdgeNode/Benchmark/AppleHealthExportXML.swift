import Domain
import Foundation

/// Renders samples as the Health app's own `export.xml` (Settings → Health → Export All Health
/// Data): the DOCTYPE with its internal subset, `<Record>` elements with local times and
/// escaped `HKDevice` descriptions, metadata entries, and records of types the node does not keep.
enum AppleHealthExportXML {
    /// The export's offset from UTC (the phone's zone: India, +05:30).
    static let offsetMinutes = 330

    static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE HealthData [
        <!-- HealthKit Export Version: 13 -->
        <!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
        <!ATTLIST HealthData
          locale CDATA #REQUIRED
        >
        <!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
        <!ATTLIST Record
          type          CDATA #REQUIRED
          unit          CDATA #IMPLIED
          value         CDATA #IMPLIED
          sourceName    CDATA #REQUIRED
          sourceVersion CDATA #IMPLIED
          device        CDATA #IMPLIED
          creationDate  CDATA #IMPLIED
          startDate     CDATA #REQUIRED
          endDate       CDATA #REQUIRED
        >
        ]>
        <HealthData locale="en_IN">
         <ExportDate value="2026-01-01 09:00:00 +0530"/>
         <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-04-12" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>

        """

    static let footer = "</HealthData>\n"

    /// One sample as a record (heart rates with a motion-context metadata entry, as the watch
    /// writes them).
    static func record(_ sample: HealthSample) -> String {
        let source = sample.device.hasPrefix("iPhone") ? "Priya’s iPhone" : "Priya’s Apple Watch"
        let attributes = "type=\"\(AppleHealthSpelling.type(sample))\" sourceName=\"\(source)\" sourceVersion=\"17.1\" "
            + "device=\"\(escaped(AppleHealthSpelling.hkDevice(sample.device)))\" unit=\"\(AppleHealthSpelling.unit(sample.type))\" "
            + "creationDate=\"\(date(sample.end))\" startDate=\"\(date(sample.start))\" endDate=\"\(date(sample.end))\" value=\"\(AppleHealthSpelling.value(sample))\""
        guard sample.type == .heartRate else { return " <Record \(attributes)/>\n" }
        return " <Record \(attributes)>\n  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"0\"/>\n </Record>\n"
    }

    /// The samples' records, with a record of a type the node does not keep after every 1,000th.
    static func records(_ samples: [HealthSample]) -> String {
        var text = ""
        for (index, sample) in samples.enumerated() {
            text += record(sample)
            if index % 1000 == 0 { text += unkeptRecord(at: sample.start) }
        }
        return text
    }

    /// A record of a type the node does not keep (counted as unknown on import).
    private static func unkeptRecord(at milliseconds: Int64) -> String {
        " <Record type=\"HKQuantityTypeIdentifierDietaryWater\" sourceName=\"WaterMinder\" unit=\"mL\" "
            + "creationDate=\"\(date(milliseconds))\" startDate=\"\(date(milliseconds))\" endDate=\"\(date(milliseconds))\" value=\"250\"/>\n"
    }

    /// `2025-11-12 12:22:56 +0530`: Apple's local time with its offset, to the second.
    static func date(_ milliseconds: Int64) -> String {
        let local = InstantText.string(milliseconds / 1000 * 1000 + Int64(offsetMinutes) * 60_000)
        return local.prefix(10) + " " + local.dropFirst(11).prefix(8) + String(format: " +%02d%02d", offsetMinutes / 60, offsetMinutes % 60)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
