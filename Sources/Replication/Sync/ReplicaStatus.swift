import Foundation

/// What a replica says about itself in the sync handshake (`GET /replication/v1/status`).
public struct ReplicaStatus: Sendable, Equatable, Codable {
    public var nodeId: NodeID
    public var incarnation: UUID
    public var schemaFingerprint: String
    public var protocolVersion: Int
    public var dbVersion: Int64
    public var hlc: String
    public var clockSkewEvents: Int
    public var checkpoints: [PeerCheckpoint]
    public var peers: [PeerStatus]
    /// Pushed changes this replica refused, newest first (the hub's authorization).
    public var refusedChanges: [RefusedChange]

    public init(
        nodeId: NodeID, incarnation: UUID, schemaFingerprint: String, protocolVersion: Int, dbVersion: Int64,
        hlc: String, clockSkewEvents: Int, checkpoints: [PeerCheckpoint], peers: [PeerStatus],
        refusedChanges: [RefusedChange] = []
    ) {
        self.refusedChanges = refusedChanges
        self.nodeId = nodeId
        self.incarnation = incarnation
        self.schemaFingerprint = schemaFingerprint
        self.protocolVersion = protocolVersion
        self.dbVersion = dbVersion
        self.hlc = hlc
        self.clockSkewEvents = clockSkewEvents
        self.checkpoints = checkpoints
        self.peers = peers
    }
}

extension ReplicatedStore {
    /// This replica's handshake and status, with the given view of its peers.
    public func status(peers: [PeerStatus]) async throws -> ReplicaStatus {
        ReplicaStatus(
            nodeId: identity.nodeID, incarnation: identity.incarnation, schemaFingerprint: schema.fingerprint,
            protocolVersion: ReplicationProtocol.version, dbVersion: dbVersion, hlc: lastClockReading.description,
            clockSkewEvents: clockSkewEvents, checkpoints: try await checkpoints(), peers: peers,
            refusedChanges: try await refusedChanges()
        )
    }
}
