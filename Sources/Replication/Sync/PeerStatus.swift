import Foundation
import Synchronization

/// What this node knows about syncing with one peer, for health, status and `edgectl`.
public struct PeerStatus: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case connecting, syncing, idle
        case backingOff = "backing_off"
        case refused
    }

    public var address: String
    public var nodeId: NodeID?
    public var state: State
    public var lastSuccessAt: Date?
    public var lastError: String?
    public var lastErrorAt: Date?
    public var backlog: Int64
    public var consecutiveFailures: Int
    public var rowsApplied: Int

    public init(address: String) {
        self.address = address
        state = .connecting
        backlog = 0
        consecutiveFailures = 0
        rowsApplied = 0
    }
}

/// The shared, thread-safe table of `PeerStatus`, written by the sync service, read by the API.
public final class SyncStatusBoard: Sendable {
    private let peers: Mutex<[String: PeerStatus]>
    private let order: [String]

    public init(addresses: [String]) {
        order = addresses
        peers = Mutex(Dictionary(uniqueKeysWithValues: addresses.map { ($0, PeerStatus(address: $0)) }))
    }

    public func snapshot() -> [PeerStatus] {
        peers.withLock { peers in order.compactMap { peers[$0] } }
    }

    func update(_ address: String, _ change: (inout PeerStatus) -> Void) {
        peers.withLock { peers in
            var status = peers[address] ?? PeerStatus(address: address)
            change(&status)
            peers[address] = status
        }
    }
}
