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

    @Test func aNodeAdmitsToItsOwnFacilityOnly() async throws {
        try await register(apollo)
        try await register(manipal)
        try await manipalNode.apply(try await hub.changes(since: 0, limit: 1000))
        let admissions = AdmissionRepository(store: manipalNode, clock: SystemClock(), audit: AuditTrail(store: manipalNode, clock: SystemClock()))
        var form = AdmissionForm()
        (form.patientId, form.condition) = (UUID().uuidString, "Fever")
        let request = try AdmissionRequest(validating: form)
        let nurse = Principal(userID: User.ID(UUID()), role: .hospitalAdmin)
        _ = try await admissions.admit(request, to: StableIDs.demoHospital(code: manipal), principal: nurse, clientAddress: nil)
        _ = try await admissions.admit(request, to: StableIDs.demoHospital(code: apollo), principal: nurse, clientAddress: nil)
        let result = try await push()
        #expect(result.refused == 1, "\(result)")
        let atHub = AdmissionRepository(store: hub, clock: SystemClock(), audit: AuditTrail(store: hub, clock: SystemClock()))
        #expect(try await atHub.admissions(at: StableIDs.demoHospital(code: manipal), status: .admitted).count == 1)
        #expect(try await atHub.admissions(at: StableIDs.demoHospital(code: apollo), status: .admitted).isEmpty)
    }

    @Test func aNodeCannotOverwriteAnotherFacilitysHospitalOrAdmin() async throws {
        try await register(apollo)
        try await manipalNode.apply(try await hub.changes(since: 0, limit: 1000))
        let apolloID = StableIDs.demoHospital(code: apollo).description
        try await manipalNode.write { write in
            try write.update("hospitals", id: apolloID, set: ["name": "Taken over"])
            let admin = try #require(try write.read { try String.fetchOne($0, sql: "SELECT id FROM users WHERE hospital_id = ?", arguments: [apolloID]) })
            try write.update("users", id: admin, set: ["is_active": 0])
        }
        #expect(try await push().refused == 2)
        #expect(try await HospitalDirectory(store: hub).hospital(id: StableIDs.demoHospital(code: apollo))?.name == "Apollo Hospital Bangalore")
    }

    @Test func newFacilitiesAdminsAndRolesComeFromTheHubNotFromANode() async throws {
        try await register(apollo)
        try await register(manipal)
        try await manipalNode.apply(try await hub.changes(since: 0, limit: 1000))
        // A hospital signed up at a node (its admin with it) is a new facility: registered at the hub only.
        let accounts = AccountRepository(store: manipalNode, clock: SystemClock())
        _ = try await accounts.registerHospital(try registration("new@facility.example", "New Clinic"), passwordHash: "hash")
        #expect(try await push().refused == 2)
        #expect(try await HospitalDirectory(store: hub).search("New Clinic").isEmpty)

        let apolloID = StableIDs.demoHospital(code: apollo).description, manipalID = StableIDs.demoHospital(code: manipal).description
        try await manipalNode.write { write in
            // An administrator for another facility's hospital, and a SYSTEM_ADMIN: refused.
            try write.insert(into: "users", id: UUID().uuidString.lowercased(), values: [
                "email": "fake-admin@apollo.example", "password_hash": "h", "role": "HOSPITAL_ADMIN", "hospital_id": .text(apolloID), "created_at": "2026-01-01T00:00:00.000Z",
            ])
            try write.insert(into: "users", id: UUID().uuidString.lowercased(), values: [
                "email": "root@anywhere.example", "password_hash": "h", "role": "SYSTEM_ADMIN", "created_at": "2026-01-01T00:00:00.000Z",
            ])
            // A resources row filed under Apollo's id but claiming Manipal's hospital: refused.
            try write.insert(into: "hospital_resources", id: apolloID, values: [
                "hospital_id": .text(manipalID), "total_beds": 1, "available_beds": 1, "oxygen_cylinders": 0, "ventilators": 0,
                "ambulances": 0, "blood_bags": 0, "updated_at": "2026-01-01T00:00:00.000Z", "updated_by": "x",
            ])
            // A patient's account (anyone's to create wherever they are) and an admin of its own facility: accepted.
            try write.insert(into: "users", id: UUID().uuidString.lowercased(), values: [
                "email": "patient@anywhere.example", "password_hash": "h", "role": "PATIENT", "created_at": "2026-01-01T00:00:00.000Z",
            ])
            try write.insert(into: "users", id: UUID().uuidString.lowercased(), values: [
                "email": "second-admin@manipal.example", "password_hash": "h", "role": "HOSPITAL_ADMIN", "hospital_id": .text(manipalID), "created_at": "2026-01-01T00:00:00.000Z",
            ])
        }
        let result = try await push()
        #expect(result.refused == 3 && result.applied == 2, "\(result)")

        // Raising a patient to SYSTEM_ADMIN cannot even be written: a role is first-writer-wins.
        let patient = try #require(try await AccountRepository(store: manipalNode, clock: SystemClock()).user(email: EmailAddress("patient@anywhere.example")!))
        await #expect(throws: ReplicationError.self) {
            try await manipalNode.write { try $0.update("users", id: patient.id.description, set: ["role": "SYSTEM_ADMIN"]) }
        }
        #expect(try await AccountRepository(store: hub, clock: SystemClock()).user(id: patient.id)?.role == .patient)
    }

    @Test func aNodeDoesNotDeleteAGovernedRowTheHubHasNeverSeen() async throws {
        try await register(manipal)
        try await manipalNode.apply(try await hub.changes(since: 0, limit: 1000))
        let future = UUID().uuidString.lowercased()
        try await manipalNode.write { write in
            try write.insert(into: "users", id: future, values: [
                "email": "later@manipal.example", "password_hash": "h", "role": "DOCTOR", "created_at": "2026-01-01T00:00:00.000Z",
            ])
        }
        try await manipalNode.write { try $0.delete(from: "users", id: future) }
        #expect(try await push().refused == 1, "a tombstone for a row the hub has never seen would bar that id for good")
    }
}
