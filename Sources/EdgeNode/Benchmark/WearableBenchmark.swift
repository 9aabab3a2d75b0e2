import ArgumentParser
import AsyncHTTPClient
import Domain
import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import Replication
import ServiceLifecycle

/// HTTP ingest of Apple Health JSON, end to end: a real node on a loopback port (its whole API,
/// authentication, validation, the replicated store and the rollups), a patient signed up through
/// the API, and the generated dataset posted as the iOS app's exports over concurrent connections.
/// The baseline is plain SQLite inserts of the same rows into the same `health_metrics` table.
/// Then a fresh replica (the node's schema and rollups) catches up from the node over HTTP, and
/// `GET /wearables/metrics/comprehensive` is put under load by wrk for that patient and for one with
/// a month of data (the contract's 30,000 samples).
struct WearableBenchmark {
    let directory: String
    /// Seconds of each wrk run (0: no read benchmark).
    var readSeconds = 10
    /// wrk's concurrent connections.
    var readConnections = 16

    /// Latency of `comprehensive` under load, for a patient with `samples` samples.
    struct ReadResult {
        let samples: Int
        let p50: Double
        let p95: Double
        let p99: Double
        let requestsPerSecond: Double
        let errors: Int
        let connections: Int

        var line: String {
            String(format: "comprehensive, %7d samples: p50 %.2f ms | p95 %.2f ms | p99 %.2f ms | %.0f requests/s | %d errors (wrk, %d connections)",
                   samples, p50, p95, p99, requestsPerSecond, errors, connections)
        }
    }

    struct Result {
        let samples: Int
        let plainSeconds: Double
        let ingestSeconds: Double
        let accepted: Int
        let batch: Int
        let connections: Int
        let replicationSeconds: Double
        /// Whether the fresh replica's rollups count every sample.
        let replicaComplete: Bool
        /// `comprehensive` under load (empty without wrk).
        let reads: [ReadResult]

        var line: String {
            let plain = Double(samples) / plainSeconds, ingest = Double(samples) / ingestSeconds
            return String(
                format: "%7d samples: plain SQLite %9.0f rows/s (%.2f s) | HTTP ingest, Apple Health JSON %9.0f samples/s (%.2f s; %d per request, %d connections) | ratio %5.1f %% | all accepted: %@",
                samples, plain, plainSeconds, ingest, ingestSeconds, batch, connections, 100 * ingest / plain, accepted == samples ? "yes" : "NO (\(accepted))"
            ) + String(
                format: "\n%7d samples replicated to a fresh node over HTTP, rollups included: %9.0f samples/s (%.2f s) | rollups complete: %@",
                samples, Double(samples) / replicationSeconds, replicationSeconds, replicaComplete ? "yes" : "NO"
            ) + (reads.isEmpty ? "\nno read benchmark (wrk is not installed: make bench installs it)" : reads.map { "\n" + $0.line }.joined())
        }
    }

    func ingest(samples: Int, batch: Int, connections: Int) async throws -> Result {
        var logger = Logger(label: "edge-bench")
        logger.logLevel = .warning
        guard let port = LoopbackPort.free() else { throw ValidationError("no free loopback port") }
        var settings = NodeSettings()
        settings.dataDirectory = (directory as NSString).appendingPathComponent("wearable-node")
        settings.deploymentSecret = DeploymentSecret.generate()
        settings.port = port
        settings.bcryptCost = 4
        settings.discovery = false
        settings.blobPrefetch = false
        settings.logLevel = .warning
        let node = try await buildNode(settings)
        let base = "http://127.0.0.1:\(port)/api/v1"
        let services = ServiceGroup(configuration: .init(services: [node.application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            defer { group.cancelAll() }
            let (token, patient) = try await Self.signUp(base, index: 1)
            let days = max(1, samples / 2500 + 1)  // a little more than needed: days vary around 2,750
            var dataset = HealthDataset(patient: patient, start: InstantText.milliseconds("2025-01-01T00:00:00Z")!, days: days, samplesPerDay: 2750, seed: 1).all
            dataset = Array(dataset.prefix(samples))
            let plainSeconds = try PlainInserts(
                path: (directory as NSString).appendingPathComponent("plain-health.sqlite"), table: DomainTables.healthMetrics.name,
                columns: DomainTables.healthMetrics.columnNames,
                createTable: { writer in
                    var migrator = DatabaseMigrator()
                    DomainTables.registerMigrations(&migrator)
                    try migrator.migrate(writer, upTo: "domain-v11-wearables")
                },
                batch: batch
            ).seconds(dataset.map { (HealthMetricIDs.id(of: $0), HealthMetricRepository.values(of: $0)) })
            // The client's work (rendering JSON) is done before the clock starts.
            let bodies = stride(from: 0, to: dataset.count, by: batch).map {
                ByteBuffer(bytes: AppleHealthExportJSON.render(Array(dataset[$0..<min($0 + batch, dataset.count)]), deviceID: "iphone"))
            }
            let started = ContinuousClock.now
            let accepted = try await post(bodies, to: base + "/wearables/import/apple-health", token: token, connections: connections)
            let seconds = (ContinuousClock.now - started).seconds

            let replica = try ReplicatedStore.open(
                path: (directory as NSString).appendingPathComponent("wearable-replica.sqlite"), schema: DomainTables.schema,
                migrations: DomainTables.registerMigrations, derivations: DomainTables.derivations()
            )
            let peer = HTTPPeerTransport(
                address: "http://127.0.0.1:\(port)", token: try DeploymentSecret(settings.deploymentSecret!).replicationToken, client: .shared
            )
            let replicationStarted = ContinuousClock.now
            try await replica.catchUp(from: peer, batchLimit: ReplicationRoutes.maximumBatchLimit)
            let replicationSeconds = (ContinuousClock.now - replicationStarted).seconds
            let counted = try await replica.read { db in try Int.fetchOne(db, sql: "SELECT sum(count) FROM metric_totals") ?? 0 }

            var reads: [ReadResult] = []
            if readSeconds > 0, let wrk = Self.executable("wrk") {
                let (monthToken, monthPatient) = try await Self.signUp(base, index: 2)
                let month = HealthDataset(patient: monthPatient, start: InstantText.milliseconds("2025-10-01T00:00:00Z")!, days: 30, samplesPerDay: 1000, seed: 2).all
                _ = try await post([ByteBuffer(bytes: AppleHealthExportJSON.render(month, deviceID: "iphone"))], to: base + "/wearables/import/apple-health",
                                   token: monthToken, connections: 1)
                for (who, key, count) in [(patient, token, dataset.count), (monthPatient, monthToken, month.count)] {
                    reads.append(try load(wrk, url: base + "/wearables/metrics/comprehensive?patient_id=\(who)&days=30", token: key, samples: count))
                }
            }
            await services.triggerGracefulShutdown()
            return Result(
                samples: dataset.count, plainSeconds: plainSeconds, ingestSeconds: seconds, accepted: accepted, batch: batch, connections: connections,
                replicationSeconds: replicationSeconds, replicaComplete: counted == dataset.count, reads: reads
            )
        }
    }

    /// Posts every body, `connections` at a time; returns the samples accepted.
    private func post(_ bodies: [ByteBuffer], to url: String, token: String, connections: Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0, accepted = 0
            func submit() {
                let body = bodies[next]
                next += 1
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(token)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(body)
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
                    let answer = try await response.body.collect(upTo: 1 << 20)
                    guard response.status == .ok, let report = try JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any] else {
                        throw ValidationError("the node answered \(response.status.code) to an import")
                    }
                    return report["accepted"] as? Int ?? 0
                }
            }
            while next < min(connections, bodies.count) { submit() }
            while let done = try await group.next() {
                accepted += done
                if next < bodies.count { submit() }
            }
            return accepted
        }
    }

    /// Runs wrk against `url` (GET, the access token as bearer) and reads its latency percentiles
    /// from a `done` hook (wrk itself prints no p95).
    private func load(_ wrk: String, url: String, token: String, samples: Int) throws -> ReadResult {
        let script = (directory as NSString).appendingPathComponent("percentiles.lua")
        try """
            done = function(summary, latency, requests)
              io.write(string.format("PERCENTILES %f %f %f %f %d\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
                latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6),
                summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
            end
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t2", "-c\(readConnections)", "-d\(readSeconds)s", "--timeout", "10s", "-s", script, "-H", "Authorization: Bearer \(token)", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PERCENTILES") }) else {
            throw ValidationError("wrk gave no figures: \(text.prefix(300))")
        }
        let figures = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard figures.count == 5 else { throw ValidationError("wrk gave unreadable figures: \(line)") }
        return ReadResult(samples: samples, p50: figures[0], p95: figures[1], p99: figures[2], requestsPerSecond: figures[3], errors: Int(figures[4]),
                          connections: readConnections)
    }

    /// The path of an executable on `PATH`, if any.
    static func executable(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A patient signed up through the API: (access token, patient id).
    static func signUp(_ base: String, index: Int) async throws -> (String, Patient.ID) {
        let body = Array("2" + String(repeating: "0", count: 9) + "\(index)").compactMap(\.wholeNumberValue)
        let aadhaar = (body + [Verhoeff.checkDigit(for: body)]).map(String.init).joined()
        let form: [String: Any] = [
            "email": "bench\(index)@example.com", "password": "BenchPass123!", "aadhar_number": aadhaar, "first_name": "Bench", "last_name": "Patient",
            "date_of_birth": "1990-01-15", "gender": "FEMALE", "phone_primary": "+919876543210",
        ]
        for _ in 0..<200 {  // while the node starts: up to 10 s
            var request = HTTPClientRequest(url: base + "/auth/signup/patient")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: form)))
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) {
                let answer = try await response.body.collect(upTo: 1 << 20)
                guard response.status == .created, let json = try JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any],
                      let token = json["access_token"] as? String, let user = json["user"] as? [String: Any],
                      let patient = (user["patient_id"] as? String).flatMap(Patient.ID.init) else {
                    throw ValidationError("sign-up answered \(response.status.code)")
                }
                return (token, patient)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("the benchmark's node did not start")
    }
}
