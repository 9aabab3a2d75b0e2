import ArgumentParser
import Domain
import Foundation
import Replication

/// The Health app's own export.xml, generated to a given size from the seeded dataset, imported
/// with `edgectl import apple-health` into a separate `edge-node` process, whose peak resident
/// memory (`VmHWM` in /proc) is read when the import is done: the memory a node needs for an
/// export of that size.
struct ExportImportBenchmark {
    let directory: String

    struct Result {
        let fileBytes: Int64
        let seconds: Double
        let startRSS: Int
        let peakRSS: Int
        let summary: String

        var line: String {
            String(
                format: "%7.0f MB export.xml imported with edgectl into a node process: %.1f s (%.1f MB/s); the node's peak RSS %d MB (%d MB after start; target <= 200 MB)",
                Double(fileBytes) / 1_048_576, seconds, Double(fileBytes) / 1_048_576 / seconds, peakRSS >> 10, startRSS >> 10
            ) + "\n        edgectl: " + summary
        }
    }

    func measure(megabytes: Int) async throws -> Result {
        let edgectl = try BenchNode.executable().deletingLastPathComponent().appendingPathComponent("edgectl")
        guard FileManager.default.isExecutableFile(atPath: edgectl.path) else {
            throw ValidationError("edgectl is not built next to edge-node (make bench builds both)")
        }
        let file = (directory as NSString).appendingPathComponent("export.xml")
        let fileBytes = try write(file, megabytes: megabytes)
        let node = try await BenchNode(
            dataDirectory: (directory as NSString).appendingPathComponent("export-node"), secret: DeploymentSecret.generate(), extra: ["--no-blob-prefetch"]
        )
        defer { node.stop() }
        let base = node.base
        let (_, patient) = try await WearableBenchmark.signUp(base + "/api/v1", index: 3)
        let startRSS = try node.memory("VmRSS")
        let password = (directory as NSString).appendingPathComponent("password")
        try "BenchPass123!\n".write(toFile: password, atomically: true, encoding: .utf8)

        let importer = Process()
        importer.executableURL = edgectl
        importer.arguments = ["import", "apple-health", file, "--patient", patient.description, "--node", base,
                              "--email", "bench3@example.com", "--password-file", password]
        let output = Pipe()
        importer.standardOutput = output
        importer.standardError = FileHandle.standardError  // the progress bar
        let started = ContinuousClock.now
        try importer.run()
        let summary = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        importer.waitUntilExit()
        let seconds = (ContinuousClock.now - started).seconds
        guard importer.terminationStatus == 0 else { throw ValidationError("edgectl failed: \(summary)") }
        return Result(
            fileBytes: fileBytes, seconds: seconds, startRSS: startRSS, peakRSS: try node.memory("VmHWM"),
            summary: summary.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    /// Writes an export.xml of at least `megabytes` from the seeded dataset (the days up to
    /// yesterday, a year of watch data for every ~400 MB); returns its size.
    private func write(_ path: String, megabytes: Int) throws -> Int64 {
        let target = Int64(megabytes) << 20
        let patient = Patient.ID(UUID())
        let sampleDay = HealthDataset(patient: patient, start: 0, days: 1, samplesPerDay: 2750, seed: 4).all
        let bytesPerDay = sampleDay.reduce(0) { $0 + AppleHealthExportXML.record($1).utf8.count }
        let days = Int(target / Int64(bytesPerDay)) * 5 / 4 + 2  // days vary in size: enough of them, then stop at the size
        let today = Int64(Date().timeIntervalSince1970 * 1000) / MetricCalendar.day * MetricCalendar.day
        let dataset = HealthDataset(patient: patient, start: today - Int64(days + 1) * MetricCalendar.day, days: days, samplesPerDay: 2750, seed: 4)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write \(path)")
        }
        defer { try? handle.close() }
        var written: Int64 = 0
        func emit(_ text: String) throws {
            let data = Data(text.utf8)
            try handle.write(contentsOf: data)
            written += Int64(data.count)
        }
        try emit(AppleHealthExportXML.header)
        try dataset.forEachDay { samples in
            if written < target { try emit(AppleHealthExportXML.records(samples)) }
        }
        try emit(AppleHealthExportXML.footer)
        return written
    }
}
