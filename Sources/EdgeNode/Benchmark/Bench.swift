import ArgumentParser
import Foundation

/// `edge-node bench`: replication throughput on this machine, against plain SQLite inserts of the
/// same rows through the same driver, measured in the same run. Run it from a release build
/// (`make bench`).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure replication throughput against plain SQLite inserts.")

    @Option(help: "Append-only rows (metric samples) to replicate.") var appendRows = 100_000
    @Option(help: "Last-writer-wins rows (5 fields each) to replicate.") var lwwRows = 10_000
    @Option(help: "Feed entries per sync batch.") var batchLimit = 5_000
    @Option(help: "Health samples to ingest over HTTP as Apple Health JSON (0: skip).") var wearableSamples = 200_000
    @Option(help: "Samples per ingest request.") var ingestBatch = 5_000
    @Option(help: "Concurrent ingest connections.") var ingestConnections = 4
    @Option(help: "Seconds of each wrk run against comprehensive (0: skip).") var readSeconds = 10
    @Option(help: "wrk's concurrent connections.") var readConnections = 16
    @Flag(help: "Skip the replication workloads.") var skipReplication = false
    @Option(help: "Megabytes of Apple Health export.xml to import with edgectl into a node process, reading its peak memory (0: skip).")
    var exportMegabytes = 0
    @Option(help: "Megabytes of a DocAssist backup to upload to a node process, have pushed to its hub and download there, reading both processes' peak memory (0: skip).")
    var backupMegabytes = 0

    func run() async throws {
        guard appendRows > 0, lwwRows > 0, (1...ReplicationRoutes.maximumBatchLimit).contains(batchLimit) else {
            throw ValidationError("row counts must be positive and the batch limit 1...\(ReplicationRoutes.maximumBatchLimit)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let benchmark = ReplicationBenchmark(directory: directory.path, batchLimit: batchLimit)
        #if DEBUG
        print("warning: debug build; figures are only meaningful from `swift build -c release` (make bench)")
        #endif
        print("CloudCare Edge replication benchmark, batches of \(batchLimit): one node to a fresh one over loopback HTTP,")
        print("and the same node pushing to a fresh hub over mutual TLS")
        if !skipReplication {
            var results: [ReplicationBenchmark.Result] = []
            for workload in [BenchWorkload.appendOnly(rows: appendRows), .lastWriterWins(rows: lwwRows)] {
                results.append(try await benchmark.measure(workload))
                print(results.last!.line)
            }
            print(ReplicationBenchmark.Result.summary(of: results))
        }
        if wearableSamples > 0 {
            print("Wearables: the generated dataset imported through a node's API over loopback HTTP")
            let wearables = WearableBenchmark(directory: directory.path, readSeconds: readSeconds, readConnections: readConnections)
            print(try await wearables.ingest(samples: wearableSamples, batch: ingestBatch, connections: ingestConnections).line)
        }
        if exportMegabytes > 0 {
            print("Apple Health export.xml: generated, then imported with edgectl into a separate node process")
            print(try await ExportImportBenchmark(directory: directory.path).measure(megabytes: exportMegabytes).line)
        }
        if backupMegabytes > 0 {
            print("DocAssist backup: node process -> its hub process, over loopback HTTP")
            print(try await BackupTransferBenchmark(directory: directory.path).measure(megabytes: backupMegabytes).line)
        }
    }
}
