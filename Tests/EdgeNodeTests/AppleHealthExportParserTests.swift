import Domain
import Foundation
import NIOCore
import Testing
@testable import EdgeNode

/// The fast export parser reads every body exactly as `JSONDecoder` with `ExportSample`'s lenient
/// rules does, and gives up (for the decoder to explain) on what the decoder refuses.
@Suite struct AppleHealthExportParserTests {
    static func fields(_ sample: IncomingSample) -> [String] {
        [sample.type, sample.value.map { "\($0)" }, sample.category, sample.unit, sample.start, sample.end, sample.source, sample.device].map { $0 ?? "∅" }
    }

    static func decoded(_ json: String, list: Bool) -> [AppleHealthExportParser.Export]? {
        let data = Data(json.utf8)
        let exports = list ? try? APIJSON.decoder().decode([AppleHealthExport].self, from: data)
            : (try? APIJSON.decoder().decode(AppleHealthExport.self, from: data)).map { [$0] }
        return exports?.map { AppleHealthExportParser.Export(deviceID: $0.deviceId, samples: $0.metrics.map(\.incoming)) }
    }

    static func same(_ json: String, list: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = AppleHealthExportParser.parse(ByteBuffer(string: json), list: list)
        let slow = decoded(json, list: list)
        #expect(fast?.map(\.deviceID) == slow?.map(\.deviceID), "\(json)", sourceLocation: sourceLocation)
        #expect(fast?.map { $0.samples.map(fields) } == slow?.map { $0.samples.map(fields) }, "\(json)", sourceLocation: sourceLocation)
    }

    @Test func handWrittenBodiesReadAsTheDecoderReadsThem() {
        Self.same(#"{"deviceId":"iphone","metrics":[{"type":"HKQuantityTypeIdentifierHeartRate","value":72.5,"unit":"count/min","startDate":"2025-11-12T06:52:56Z","metadata":{"device":"<<HKDevice: 0x1>, name:Apple Watch>"}}]}"#)
        Self.same(#" { "metrics" : [ 5 , null , "x" , [1] , {"type": 7, "value": "HKCategoryValueSleepAnalysisAsleepCore", "unit": null, "metadata": "no"} ] , "extra": {"a":[true,false,null,-1.5e3]} } "#)
        Self.same(#"{"metrics":[{"type":"Heart \"Rate\"","value":"81","sourceApp":"caf\u00e9 \ud83d\ude00 \/ \\ \n","metadata":{"other":1,"device":"watch"}}],"deviceId":null}"#)
        Self.same(#"{"metrics":[{"value":true},{"value":{"x":1}},{"value":-0.25E-2},{"value":"not a number"}]}"#)
        Self.same(#"[{"metrics":[]},{"deviceId":"b","metrics":[{"type":"stepCount","value":3}]}]"#, list: true)
        // What the parser does not expect, it gives up on: the decoder then reads it (it accepts
        // trailing commas) or says what is wrong.
        for unexpected in [#"{"deviceId":5,"metrics":[]}"#, #"{"metrics":null}"#, #"{"deviceId":"a"}"#, #"{"metrics":[{"type":"x",}]}"#,
                           #"{"metrics":[]} trailing"#, #"{"metrics":["unterminated]}"#, "", #"{"metrics":[{"value":01.}]}"#] {
            #expect(AppleHealthExportParser.parse(ByteBuffer(string: unexpected), list: false) == nil, "\(unexpected)")
        }
        for refused in [#"{"deviceId":5,"metrics":[]}"#, #"{"metrics":null}"#, #"{"deviceId":"a"}"#, #"{"metrics":[]} trailing"#, ""] {
            #expect(Self.decoded(refused, list: false) == nil, "the decoder refuses \(refused) too")
        }
    }

    /// The generated dataset's exports, in the iOS app's shape: equal to the decoder's reading.
    @Test func theGeneratedDatasetReadsAsTheDecoderReadsIt() throws {
        let samples = HealthDataset(patient: Patient.ID(UUID()), start: HealthDatasetTests.firstDay, days: 2, samplesPerDay: 1000, seed: 5).all
        let json = String(decoding: AppleHealthExportJSON.render(samples, deviceID: "iphone-15"), as: UTF8.self)
        Self.same(json)
        #expect(AppleHealthExportParser.parse(ByteBuffer(string: json), list: false)?.first?.samples.count == samples.count)
    }
}
