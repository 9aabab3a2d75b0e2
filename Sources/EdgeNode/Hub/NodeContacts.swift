import Foundation
import Replication
import Synchronization

/// The nodes that contacted this node's replication endpoints since it started — the hub's view of
/// its fleet: who (from the certificate), serving which facility, when last, and how far each
/// direction was behind at that contact.
final class NodeContacts: Sendable {
    struct Contact: Sendable, Equatable {
        let nodeID: NodeID
        /// From the node's certificate; `nil` for nodes without TLS (development).
        var facility: String?
        var lastContactAt: Date
        /// The node's feed head and what of it the hub had, at its last push.
        var pushedHead: Int64 = 0
        var pushedThrough: Int64 = 0
        /// Where the node's last pull of the hub's feed started.
        var pulledSince: Int64?

        /// Changes of the node the hub did not have yet, at the last push.
        var backlogToHub: Int64 { max(0, pushedHead - pushedThrough) }

        /// Changes of the hub the node did not have yet, given the hub's feed head now.
        func backlogToNode(hubHead: Int64) -> Int64 { pulledSince.map { max(0, hubHead - $0) } ?? 0 }
    }

    private let contacts = Mutex<[NodeID: Contact]>([:])

    /// A node pushed a batch: its feed head then, and the checkpoint the hub now holds for it.
    func pushed(by node: NodeID, facility: String?, head: Int64, through checkpoint: Int64, at now: Date = Date()) {
        record(node, facility: facility, at: now) {
            $0.pushedHead = max(head, checkpoint)
            $0.pushedThrough = checkpoint
        }
    }

    /// A node pulled the hub's feed from `since`.
    func pulled(by node: NodeID, facility: String?, since: Int64, at now: Date = Date()) {
        record(node, facility: facility, at: now) { $0.pulledSince = since }
    }

    func snapshot() -> [Contact] {
        contacts.withLock { Array($0.values) }.sorted { $0.nodeID < $1.nodeID }
    }

    private func record(_ node: NodeID, facility: String?, at now: Date, _ change: (inout Contact) -> Void) {
        contacts.withLock { contacts in
            var contact = contacts[node] ?? Contact(nodeID: node, facility: facility, lastContactAt: now)
            contact.facility = facility ?? contact.facility
            contact.lastContactAt = now
            change(&contact)
            contacts[node] = contact
        }
    }
}
