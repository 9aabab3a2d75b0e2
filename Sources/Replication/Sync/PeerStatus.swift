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
    /// Changes of this node's feed that the peer (the hub) refused to take.
    public var refusedByPeer: Int

    public init(address: String) {
        self.address = address
        state = .connecting
        backlog = 0
        consecutiveFailures = 0
        rowsApplied = 0
        refusedByPeer = 0
    }
}

/// The shared, thread-safe table of `PeerStatus`, written by the sync service, read by the API.
public final class SyncStatusBoard: Sendable {
    private let peers: Mutex<(order: [String], status: [String: PeerStatus])>

    /// A board listing `addresses` (the static peers) first; peers found later are added as they
    /// are followed.
    public init(addresses: [String]) {
        peers = Mutex((addresses, Dictionary(uniqueKeysWithValues: addresses.map { ($0, PeerStatus(address: $0)) })))
    }

    public func snapshot() -> [PeerStatus] {
        peers.withLock { peers in peers.order.compactMap { peers.status[$0] } }
    }

    func update(_ address: String, _ change: (inout PeerStatus) -> Void) {
        peers.withLock { peers in
            if peers.status[address] == nil { peers.order.append(address) }
            var status = peers.status[address] ?? PeerStatus(address: address)
            change(&status)
            peers.status[address] = status
        }
    }

    /// Takes a peer off the board (a discovered peer gone for good) — unless the address now
    /// belongs to another node than `nodeID`.
    func remove(_ address: String, ifNode nodeID: NodeID?) {
        peers.withLock { peers in
            guard let status = peers.status[address], nodeID == nil || status.nodeId == nodeID else { return }
            peers.order.removeAll { $0 == address }
            peers.status[address] = nil
        }
    }
}
