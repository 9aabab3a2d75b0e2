import Foundation

/// The pure decisions of LAN discovery, apart from the DNS-SD I/O (`ServiceBrowser`): which
/// sightings are candidate peers, which address to dial for each, and when a peer that
/// disappeared stops being dialled.
///
/// A candidate is a node of this node's facility speaking this protocol version, other than this
/// node. It stays a candidate while any sighting of it lasts and for `dropAfter` once the last one
/// is gone (the sync loop keeps retrying it with backoff meanwhile); then it is dropped.
/// Candidates are dialled over mutual TLS: a candidate only becomes a peer once its certificate
/// verifies against the deployment CA.
public struct DiscoveredPeers: Sendable {
    public enum Verdict: Equatable, Sendable {
        case candidate(NodeID)
        case ignored(String)
    }

    /// A node to dial, with the identity its advertisement claims.
    public struct Candidate: Equatable, Sendable {
        public let nodeID: NodeID
        public let url: String
    }

    private struct SightingKey: Hashable {
        let name: String
        let interfaceIndex: UInt32
    }

    public let localNodeID: NodeID
    public let facility: String
    public let protocolVersion: Int
    public let dropAfter: TimeInterval
    private var sightings: [SightingKey: (nodeID: NodeID, service: DiscoveredService)] = [:]
    private var lastURL: [NodeID: String] = [:]
    private var lostSince: [NodeID: Date] = [:]

    public init(localNodeID: NodeID, facility: String, protocolVersion: Int = ReplicationProtocol.version, dropAfter: TimeInterval) {
        self.localNodeID = localNodeID
        self.facility = facility
        self.protocolVersion = protocolVersion
        self.dropAfter = dropAfter
    }

    /// A service was resolved on an interface.
    public mutating func found(_ service: DiscoveredService, at now: Date) -> Verdict {
        guard let raw = service.txt["node_id"], let nodeID = NodeID(raw) else { return .ignored("no node id in its TXT record") }
        guard nodeID != localNodeID else { return .ignored("this node itself") }
        guard service.txt["facility"] == facility else { return .ignored("facility \(service.txt["facility"] ?? "none"), not \(facility)") }
        guard service.txt["proto"] == "\(protocolVersion)" else { return .ignored("protocol \(service.txt["proto"] ?? "none")") }
        let key = SightingKey(name: service.name, interfaceIndex: service.interfaceIndex)
        if let replaced = sightings[key]?.nodeID, replaced != nodeID {
            lost(name: service.name, interfaceIndex: service.interfaceIndex, at: now)  // the name now belongs to another node
        }
        sightings[key] = (nodeID, service)
        lostSince[nodeID] = nil
        lastURL[nodeID] = url(of: nodeID, preferring: lastURL[nodeID]) ?? service.url
        return .candidate(nodeID)
    }

    /// A service instance is no longer advertised on an interface.
    public mutating func lost(name: String, interfaceIndex: UInt32, at now: Date) {
        guard let gone = sightings.removeValue(forKey: SightingKey(name: name, interfaceIndex: interfaceIndex)) else { return }
        if let url = url(of: gone.nodeID, preferring: lastURL[gone.nodeID]) {
            lastURL[gone.nodeID] = url
        } else {
            lostSince[gone.nodeID] = now
        }
    }

    /// Drops the candidates that have been gone for longer than `dropAfter`; returns them.
    @discardableResult
    public mutating func expire(at now: Date) -> [NodeID] {
        let expired = lostSince.filter { now.timeIntervalSince($0.value) >= dropAfter }.map(\.key)
        for nodeID in expired {
            lostSince[nodeID] = nil
            lastURL[nodeID] = nil
        }
        return expired.sorted()
    }

    /// The nodes to dial: every candidate seen now or gone for less than `dropAfter`.
    public var candidates: [Candidate] {
        lastURL.map { Candidate(nodeID: $0.key, url: $0.value) }.sorted { $0.url < $1.url }
    }

    /// The address to dial a node at: the one in use while a sighting still shows it (a follower
    /// is not restarted because the node was also seen elsewhere), otherwise the sighting on the
    /// lowest interface index.
    private func url(of nodeID: NodeID, preferring current: String?) -> String? {
        let seen = sightings.values.filter { $0.nodeID == nodeID }
        if let current, seen.contains(where: { $0.service.url == current }) { return current }
        return seen.min { $0.service.interfaceIndex < $1.service.interfaceIndex }?.service.url
    }
}
