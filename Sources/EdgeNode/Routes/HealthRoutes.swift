import Foundation
import GRDB
import Hummingbird
import Replication

/// `/health`: the contract's health check, extended with the node and its sync state.
struct HealthRoutes {
    let store: ReplicatedStore
    let board: SyncStatusBoard
    let node: NodeDescription

    /// The API contract's version, in health and in the OpenAPI document.
    static let apiVersion = "1.0"

    struct NodeDescription: Encodable, Sendable {
        let id: String
        let name: String
        let role: String
    }

    struct Health: ResponseEncodable {
        let status: String
        let timestamp: String
        let version: String
        let services: [String: String]
        let node: NodeDescription
        let sync: SyncSummary
    }

    struct SyncSummary: Encodable {
        let dbVersion: Int64
        let lastSuccessfulSync: String?
        let backlog: Int64
        let clockSkewEvents: Int
        let peers: [PeerSummary]
    }

    struct PeerSummary: Encodable {
        let address: String
        let nodeId: String?
        let state: String
        let lastSuccessAt: String?
        let lastError: String?
        let backlog: Int64
    }

    func register(root: RouteRegistrar, api: RouteRegistrar) {
        for registrar in [root, api] {
            registrar.add(.get, "health", "Health", "The node's health: database, version, sync state", access: .anyone, use: health)
        }
    }

    @Sendable func health(_ request: Request, context: EdgeRequestContext) async throws -> Health {
        let database: String
        do {
            _ = try await store.read { try Int.fetchOne($0, sql: "SELECT 1") }
            database = "connected"
        } catch {
            database = "unavailable"
        }
        let peers = board.snapshot()
        let lastSync = peers.compactMap(\.lastSuccessAt).max()
        return Health(
            status: database == "connected" ? "healthy" : "degraded",
            timestamp: Timestamps.api(Date()), version: Self.apiVersion,
            services: ["sqlite": database, "replication": peers.isEmpty ? "no peers configured" : "running"],
            node: node,
            sync: SyncSummary(
                dbVersion: store.dbVersion, lastSuccessfulSync: lastSync.map(Timestamps.api),
                backlog: peers.reduce(0) { $0 + $1.backlog }, clockSkewEvents: store.clockSkewEvents,
                peers: peers.map {
                    PeerSummary(
                        address: $0.address, nodeId: $0.nodeId?.description, state: $0.state.rawValue,
                        lastSuccessAt: $0.lastSuccessAt.map(Timestamps.api), lastError: $0.lastError, backlog: $0.backlog
                    )
                }
            )
        )
    }
}
