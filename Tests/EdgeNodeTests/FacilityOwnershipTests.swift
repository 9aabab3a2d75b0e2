import Domain
import Foundation
import GRDB
import Replication
import Testing
@testable import EdgeNode

/// The hub's authorization of pushed changes, on the real domain tables: each facility's nodes
/// may change only what their facility owns.
@Suite struct FacilityOwnershipTests {
    let hub: ReplicatedStore
    let manipalNode: ReplicatedStore
    let apollo = HospitalCode("HC-B2631D")!, manipal = HospitalCode("HC-L9MLES")!

    init() throws {
        func replica() throws -> ReplicatedStore {
            try ReplicatedStore.inMemory(schema: DomainTables.schema, migrations: DomainTables.registerMigrations, nodeID: NodeID(UUID()))
        }
        hub = try replica()
        manipalNode = try replica()
    }

    /// Registers a demo hospital at the hub, with its fixed code and id.
    func register(_ code: HospitalCode) async throws {
        let entry = try #require(DemoHospitals.all.first { $0.code == code.value })
        _ = try await AccountRepository(store: hub, clock: SystemClock()).registerHospital(
            DemoHospitals.registration(entry), passwordHash: "not-a-real-hash", code: code, hospitalID: StableIDs.demoHospital(code: code)
        )
    }

    func registration(_ email: String, _ name: String) throws -> HospitalRegistration {
        var form = HospitalRegistrationForm()
        form.email = email
        form.password = "SecurePass123!"
        form.name = name
        form.phonePrimary = "+911234567890"
        form.addressLine1 = "Road 1"
        form.city = "Mysuru"
        form.state = "Karnataka"
        form.postalCode = "570001"
        return try HospitalRegistration(validating: form)
    }

    /// Pushes the Manipal node's feed to the hub as its certificate would.
    func push() async throws -> ApplyResult {
        let since = try await hub.checkpoint(of: manipalNode.identity.nodeID)?.dbVersion ?? 0
        return try await hub.apply(
            try await manipalNode.changes(since: since, limit: 1000),
            authorization: (Pusher(nodeID: manipalNode.identity.nodeID, scope: manipal.value), FacilityOwnership())
        )
    }

    @Test func aNodeUpdatesItsOwnFacilitysResourcesButNotAnothers() async throws {
        try await register(apollo)
        try await register(manipal)
        try await manipalNode.apply(try await hub.changes(since: 0, limit: 1000))
        let resources = HospitalResourcesRepository(store: manipalNode, clock: SystemClock())
        let stock = HospitalResources(totalBeds: 10, availableBeds: 5, oxygenCylinders: 1, ventilators: 1, ambulances: 1, bloodBags: 1)
        _ = try await resources.update(stock, of: StableIDs.demoHospital(code: manipal), by: User.ID(UUID()))
        _ = try await resources.update(stock, of: StableIDs.demoHospital(code: apollo), by: User.ID(UUID()))
        let result = try await push()
        #expect(result.applied == 1 && result.refused == 1, "\(result)")
        let atHub = try await HospitalResourcesRepository(store: hub, clock: SystemClock()).all()
        #expect(atHub.keys.sorted() == [StableIDs.demoHospital(code: manipal).description])
        let refusal = try #require(try await hub.refusedChanges().first)
        #expect(refusal.table == "hospital_resources" && refusal.reason.contains("belongs to facility HC-B2631D"), "\(refusal.reason)")
    }

    @Test func aNodeCannotOverwriteAnotherFacilitysHospitalOrAdminButRegistersNewFacilities() async throws {
        try await register(apollo)
        try await manipalNode.apply(try await hub.changes(since: 0, limit: 1000))
        let apolloID = StableIDs.demoHospital(code: apollo).description
        try await manipalNode.write { write in
            try write.update("hospitals", id: apolloID, set: ["name": "Taken over"])
            let admin = try #require(try write.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE hospital_id = ?", arguments: [apolloID]) })
            try write.update("users", id: admin, set: ["password_hash": "attacker's"])
        }
        #expect(try await push().refused == 2)
        #expect(try await HospitalDirectory(store: hub).hospital(id: StableIDs.demoHospital(code: apollo))?.name == "Apollo Hospital Bangalore")

        // A new facility signed up at this node is accepted (a code nobody uses), with its admin…
        let accounts = AccountRepository(store: manipalNode, clock: SystemClock())
        _ = try await accounts.registerHospital(try registration("new@facility.example", "New Clinic"), passwordHash: "hash")
        #expect(try await push().applied == 2)
        // …but not a second hospital claiming an existing facility's code.
        _ = try await accounts.registerHospital(try registration("impostor@facility.example", "Apollo (impostor)"), passwordHash: "hash", code: apollo)
        let impostor = try await push()
        #expect(impostor.refused == 1 && impostor.applied == 1, "the hospital is refused, its (new) admin account is not: \(impostor)")
        #expect(try await HospitalDirectory(store: hub).search("impostor").isEmpty)
    }
}
