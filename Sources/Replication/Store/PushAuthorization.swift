import Foundation
import GRDB

/// The node that pushed a batch, as its certificate names it: its id and its scope (the facility
/// it serves).
public struct Pusher: Sendable, Equatable {
    public let nodeID: NodeID
    public let scope: String

    public init(nodeID: NodeID, scope: String) {
        self.nodeID = nodeID
        self.scope = scope
    }
}

/// A change a pushed row would make here, for authorization: the row's values here (`nil` if
/// the row is new or absent) and as they would be after the merge — only the fields whose stamps
/// win are taken — (`nil` for a deletion), by column name.
public struct ProposedChange: Sendable {
    public let table: String
    public let id: String
    public let current: [String: SQLValue]?
    public let incoming: [String: SQLValue]?
}

/// Which changes a pushing node may make to this replica (the hub's check). Asked only for rows
/// whose merge would change local state, so relaying rows this replica already has is never
/// refused. The owner of the tables (the domain) decides; the replication layer records refusals.
public protocol PushAuthorizer: Sendable {
    /// The tables whose rows have owners; rows of other tables are applied without asking.
    var governedTables: Set<String> { get }

    /// Why `pusher` may not make `change`, or `nil` if it may. `db` reads this replica inside the
    /// transaction applying the batch (earlier rows of the batch are visible).
    func refusal(of change: ProposedChange, by pusher: Pusher, in db: Database) throws -> String?
}
