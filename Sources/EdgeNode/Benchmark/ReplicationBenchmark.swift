import AsyncHTTPClient
import Foundation
import GRDB
import Hummingbird
import Logging
import Replication
import ServiceLifecycle

/// Runs one workload: plain inserts as the baseline; a real replication from a source node served
/// over loopback HTTP (the node's own routes and transport) into a fresh replica; and the source
/// node pushing its feed to a fresh hub over mutual TLS (the hub's own server, handshake checks
/// and push authorization).
struct ReplicationBenchmark {
    let directory: String
    let batchLimit: Int

    struct Result {
        let workload: BenchWorkload
        let plainSeconds: Double
        let replicatedSeconds: Double
        let digestsEqual: Bool
        let hubSeconds: Double
        let hubEqual: Bool

        var line: String {
            Self.format(name: workload.name, rows: workload.rowCount, plainSeconds: plainSeconds, replicatedSeconds: replicatedSeconds)
                + " | replicas equal: \(digestsEqual ? "yes" : "NO")\n"
                + Self.format(name: "  node → hub, mTLS", rows: workload.rowCount, plainSeconds: plainSeconds, replicatedSeconds: hubSeconds, verb: "pushed")
                + " | hub equal: \(hubEqual ? "yes" : "NO")"
        }

        /// All workloads together: every row replicated against every row inserted.
        static func summary(of results: [Result]) -> String {
            let rows = results.reduce(0) { $0 + $1.workload.rowCount }, plain = results.reduce(0) { $0 + $1.plainSeconds }
            return format(name: "rows in all", rows: rows, plainSeconds: plain, replicatedSeconds: results.reduce(0) { $0 + $1.replicatedSeconds })
                + "\n" + format(name: "  node → hub, mTLS", rows: rows, plainSeconds: plain, replicatedSeconds: results.reduce(0) { $0 + $1.hubSeconds }, verb: "pushed")
        }

        private static func format(name: String, rows: Int, plainSeconds: Double, replicatedSeconds: Double, verb: String = "replicated") -> String {
            let plainRate = Double(rows) / plainSeconds, replicatedRate = Double(rows) / replicatedSeconds
            return String(
                format: "%7d %@: plain SQLite %9.0f rows/s (%.2f s) | %@ %9.0f rows/s (%.2f s) | ratio %5.1f %%",
                rows, name.padding(toLength: 20, withPad: " ", startingAt: 0), plainRate, plainSeconds, verb.padding(toLength: 10, withPad: " ", startingAt: 0),
                replicatedRate, replicatedSeconds, 100 * replicatedRate / plainRate
            )
        }
    }

    func measure(_ workload: BenchWorkload) async throws -> Result {
        let rows = workload.rows()
        let plainSeconds = try PlainInserts(
            path: path("plain-\(workload.table.name)"), table: workload.table.name, columns: workload.table.columnNames,
            createTable: { try $0.write(workload.createTable) }, batch: batchLimit
        ).seconds(rows)

        let schema = ReplicationSchema(tables: [workload.table])
        let migrations: (inout DatabaseMigrator) -> Void = {
            $0.registerMigration("bench") { db in
                try workload.createTable(db)
                try workload.table.addBookkeeping(in: db)
            }
        }
        func open(_ name: String) throws -> ReplicatedStore {
            try ReplicatedStore.open(path: path("\(name)-\(workload.table.name)"), schema: schema, migrations: migrations)
        }
        let source = try open("source"), target = try open("target"), hub = try open("hub")
        try await fill(source, with: rows, workload: workload)

        var logger = Logger(label: "edge-bench")
        logger.logLevel = .warning
        let token = try DeploymentSecret(DeploymentSecret.generate()).replicationToken
        guard let port = LoopbackPort.free(), let hubPort = LoopbackPort.free() else { throw ValidationError("no free loopback port") }
        let router = Router(context: EdgeRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        ReplicationRoutes(store: source, board: SyncStatusBoard(addresses: []), contacts: NodeContacts(), authorizer: FacilityOwnership())
            .register(on: RouteRegistrar(router: router, gatekeeper: nil), deploymentToken: token)
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let peer = HTTPPeerTransport(address: "http://127.0.0.1:\(port)", token: token, client: .shared)

        let pki = try BenchPKI(directory: directory)
        let hubTLS = try pki.mutualTLS(for: hub.identity.nodeID, name: "hub-\(workload.table.name)")
        let nodeTLS = try pki.mutualTLS(for: source.identity.nodeID, name: "node-\(workload.table.name)")
        var hubRoutes = ReplicationRoutes(store: hub, board: SyncStatusBoard(addresses: []), contacts: NodeContacts(), authorizer: FacilityOwnership())
        hubRoutes.tls = hubTLS
        let hubServer = try ReplicationServer.make(
            routes: hubRoutes, admin: nil, tls: hubTLS, host: "127.0.0.1", port: hubPort, isRevoked: { _ in false }, logger: logger
        )
        let tlsClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: nodeTLS.client))
        let hubPeer = HTTPPeerTransport(address: "https://127.0.0.1:\(hubPort)", token: nil, client: tlsClient)

        let services = ServiceGroup(configuration: .init(services: [server, hubServer, HTTPClientService(client: tlsClient)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            try await waitUntilServing(peer)
            try await waitUntilServing(hubPeer)
            var started = ContinuousClock.now
            try await target.catchUp(from: peer, batchLimit: batchLimit)
            let replicated = ContinuousClock.now - started
            started = ContinuousClock.now
            try await source.push(to: hubPeer, batchLimit: batchLimit)
            let pushed = ContinuousClock.now - started
            let sourceDigest = try await source.digest()
            let equal = try await sourceDigest == target.digest(), hubEqual = try await sourceDigest == hub.digest()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return Result(
                workload: workload, plainSeconds: plainSeconds, replicatedSeconds: replicated.seconds, digestsEqual: equal,
                hubSeconds: pushed.seconds, hubEqual: hubEqual
            )
        }
    }

    private func fill(_ store: ReplicatedStore, with rows: [(id: String, values: [SQLValue])], workload: BenchWorkload) async throws {
        let names = workload.table.columnNames
        for chunk in stride(from: 0, to: rows.count, by: 10_000) {
            let slice = Array(rows[chunk..<min(chunk + 10_000, rows.count)])
            try await store.write { write in
                for row in slice {
                    let values = Dictionary(uniqueKeysWithValues: zip(names, row.values))
                    switch workload {
                    case .appendOnly: try write.append(to: workload.table.name, id: row.id, values: values)
                    case .lastWriterWins: try write.insert(into: workload.table.name, id: row.id, values: values)
                    }
                }
            }
        }
    }

    private func waitUntilServing(_ peer: HTTPPeerTransport) async throws {
        for _ in 0..<100 {
            if (try? await peer.status()) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("the benchmark's source node did not start")
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent("\(name).sqlite") }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

import ArgumentParser
