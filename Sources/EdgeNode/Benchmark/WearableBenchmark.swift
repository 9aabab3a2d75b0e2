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
struct WearableBenchmark {
    let directory: String

    struct Result {
        let samples: Int
        let plainSeconds: Double
        let ingestSeconds: Double
        let accepted: Int
        let batch: Int
        let connections: Int

        var line: String {
            let plain = Double(samples) / plainSeconds, ingest = Double(samples) / ingestSeconds
            return String(
                format: "%7d samples: plain SQLite %9.0f rows/s (%.2f s) | HTTP ingest, Apple Health JSON %9.0f samples/s (%.2f s; %d per request, %d connections) | ratio %5.1f %% | all accepted: %@",
                samples, plain, plainSeconds, ingest, ingestSeconds, batch, connections, 100 * ingest / plain, accepted == samples ? "yes" : "NO (\(accepted))"
            )
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
            let (token, patient) = try await signUp(base)
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
            await services.triggerGracefulShutdown()
            return Result(samples: dataset.count, plainSeconds: plainSeconds, ingestSeconds: seconds, accepted: accepted, batch: batch, connections: connections)
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

    /// A patient signed up through the API: (access token, patient id).
    private func signUp(_ base: String) async throws -> (String, Patient.ID) {
        let body = Array("2" + String(repeating: "0", count: 9) + "7").compactMap(\.wholeNumberValue)
        let aadhaar = (body + [Verhoeff.checkDigit(for: body)]).map(String.init).joined()
        let form: [String: Any] = [
            "email": "bench@example.com", "password": "BenchPass123!", "aadhar_number": aadhaar, "first_name": "Bench", "last_name": "Patient",
            "date_of_birth": "1990-01-15", "gender": "FEMALE", "phone_primary": "+919876543210",
        ]
        for _ in 0..<100 {
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
