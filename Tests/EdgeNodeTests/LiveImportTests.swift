import Domain
import Foundation
import Testing
@testable import EdgeNode

extension LiveProcessTests {
    /// `edgectl import apple-health` against a real node process: the Health app's export.zip is
    /// streamed up with a progress bar and imported; the same file again adds nothing.
    @Suite struct LiveImportTests {
        @Test func edgectlImportsAnExportZipOnceAndReportsTheCounts() async throws {
            let http = LiveClient()
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-import-\(UUID())").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let node = try NodeProcess(name: "ward-import", port: try #require(LoopbackPort.free()), dataDirectory: root + "/node", peers: [])
            defer { node.stop(); try? FileManager.default.removeItem(atPath: root) }
            try node.start()
            try await http.eventually(60, "node healthy") {
                try await http.request(.GET, node.baseURL + "/health").object["status"] as? String == "healthy"
            }
            let signedUp = try await http.request(.POST, node.baseURL + "/api/v1/auth/signup/patient", body: TestAccounts.patient(5))
            let patient = try #require((signedUp.object["user"] as? [String: Any])?["patient_id"] as? String)
            let samples = HealthDataset(patient: try #require(Patient.ID(patient)), start: HealthDatasetTests.firstDay, days: 3, samplesPerDay: 1000, seed: 9).all
            var zip = ZipArchive()
            zip.add("apple_health_export/export_cda.xml", Array("<ClinicalDocument/>".utf8), .deflatedWithDescriptor)
            zip.add("apple_health_export/export.xml", HealthDatasetTests.exportXML(samples), .deflatedWithDescriptor)
            let file = root + "/export.zip", password = root + "/password"
            try Data(zip.archive).write(to: URL(fileURLWithPath: file))
            try Data("SecurePass123!\n".utf8).write(to: URL(fileURLWithPath: password))
            let arguments = ["import", "apple-health", file, "--patient", patient, "--node", node.baseURL,
                             "--email", TestAccounts.patient(5)["email"] as? String ?? "", "--password-file", password]

            let first = try NodeProcess.execute(try NodeProcess.binary("edgectl"), arguments)
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("100%"), "the progress reaches the end: \(first.output)")
            #expect(first.output.contains("\(samples.count.formatted()) new, 0 already stored"), "\(first.output)")
            #expect(first.output.contains("HKQuantityTypeIdentifierDietaryWater"), "types the node does not keep are named")
            let again = try NodeProcess.execute(try NodeProcess.binary("edgectl"), arguments)
            #expect(again.output.contains("— 0 new, \(samples.count.formatted()) already stored"), "\(again.output)")

            // Someone else's record is refused, with the node's reason.
            let other = try await http.request(.POST, node.baseURL + "/api/v1/auth/signup/patient", body: TestAccounts.patient(6))
            let otherPatient = try #require((other.object["user"] as? [String: Any])?["patient_id"] as? String)
            var foreign = arguments
            foreign[4] = otherPatient
            let refused = try NodeProcess.execute(try NodeProcess.binary("edgectl"), foreign)
            #expect(refused.status != 0 && refused.output.contains("answered 403"), "\(refused.output)")
        }
    }
}
