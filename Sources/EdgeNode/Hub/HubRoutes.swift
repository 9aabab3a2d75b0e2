import Domain
import Foundation
import Hummingbird
import Replication

/// `/hub`: the hub's view of the facilities it aggregates, for SYSTEM_ADMIN.
struct HubRoutes {
    let store: ReplicatedStore
    let contacts: NodeContacts
    let directory: HospitalDirectory
    let resources: HospitalResourcesRepository

    func register(on api: RouteRegistrar) {
        api.add(.get, "hub/facilities", "Hub", "Every facility: nodes, last contact, backlogs, resources, refused changes",
                access: .roles([.systemAdmin]), use: facilities)
    }

    /// `GET /hub/facilities`: every facility known here (a hospital record or a node that made
    /// contact), with its nodes, their last contact and backlogs, its resources and the changes
    /// of its nodes the hub refused.
    @Sendable func facilities(_ request: Request, context: EdgeRequestContext) async throws -> [FacilityReport] {
        let hospitals = try await directory.all()
        let declared = try await resources.all()
        let refused = try await store.refusedChanges(limit: 10_000)
        let nodes = contacts.snapshot()
        let head = store.dbVersion
        let codes = Set(hospitals.map(\.code.value)).union(nodes.map { $0.facility ?? FacilityReport.unidentified })
        return codes.sorted().map { code in
            let members = nodes.filter { ($0.facility ?? FacilityReport.unidentified) == code }
            let memberIDs = Set(members.map(\.nodeID))
            let own = hospitals.filter { $0.code.value == code }
            return FacilityReport(
                facility: code,
                hospital: own.first.map { .init(id: $0.id.description, name: $0.name) },
                nodes: members.map {
                    .init(nodeId: $0.nodeID.description, lastContactAt: Timestamps.api($0.lastContactAt),
                          backlogToHub: $0.backlogToHub, backlogToNode: $0.backlogToNode(hubHead: head))
                },
                lastContactAt: members.map(\.lastContactAt).max().map(Timestamps.api),
                backlog: members.reduce(0) { $0 + $1.backlogToHub + $1.backlogToNode(hubHead: head) },
                resources: HospitalResources.total(own.compactMap { declared[$0.id.description] }),
                refusedChanges: refused.filter { memberIDs.contains($0.peer) }.reduce(0) { $0 + $1.count }
            )
        }
    }
}

/// One facility as the hub sees it.
struct FacilityReport: ResponseEncodable {
    /// Where nodes without TLS (development) are listed: their facility is not attested.
    static let unidentified = "unidentified"

    struct HospitalName: Encodable {
        let id: String
        let name: String
    }

    struct Node: Encodable {
        let nodeId: String
        let lastContactAt: String
        let backlogToHub: Int64
        let backlogToNode: Int64
    }

    let facility: String
    let hospital: HospitalName?
    let nodes: [Node]
    let lastContactAt: String?
    let backlog: Int64
    let resources: HospitalResources
    let refusedChanges: Int
}
