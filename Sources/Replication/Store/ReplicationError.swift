/// Everything the replication layer can refuse or fail at. `EdgeNode` maps each case to HTTP.
public enum ReplicationError: Error, Equatable, Sendable {
    /// A write named a table that is not declared as replicated.
    case unknownTable(String)
    /// A write named a column that the table does not declare.
    case unknownColumn(table: String, column: String)
    /// An insert used an id that already exists (or was deleted: ids are never reused).
    case rowExists(table: String, id: String)
    /// An update or delete named a row that does not exist.
    case rowNotFound(table: String, id: String)
    /// A write tried to move a monotone column down its order.
    case monotonicViolation(table: String, column: String)
    /// A batch came from a replica with another schema or protocol: it is held, never applied.
    case schemaMismatch(expected: String, received: String)
    /// A batch could not be decoded.
    case malformedBatch(String)
    /// A peer could not be reached or answered with an error.
    case peerUnavailable(String)
    /// A peer could not prove it belongs to this deployment (its TLS handshake failed).
    case untrustedPeer(String)
    /// The configuration is unusable.
    case invalidConfiguration(String)
}
