import Crypto

/// The set of replicated tables of a deployment, with the fingerprint replicas compare before
/// exchanging changes: a batch from a replica with another fingerprint is never applied.
public struct ReplicationSchema: Sendable {
    public let tables: [ReplicatedTable]
    public let fingerprint: String
    private let byName: [String: ReplicatedTable]

    public init(tables: [ReplicatedTable]) {
        self.tables = tables
        byName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
        let canonical = "protocol:\(ReplicationProtocol.version);" + tables.map(\.fingerprintText).joined(separator: ";")
        fingerprint = SHA256.hash(data: Array(canonical.utf8)).prefix(8).hexString
    }

    public func table(_ name: String) throws(ReplicationError) -> ReplicatedTable {
        guard let table = byName[name] else { throw .unknownTable(name) }
        return table
    }
}
