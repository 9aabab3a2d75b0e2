import Domain
import Foundation
import Replication
import Testing
@testable import EdgeNode

/// The gatekeeper's kept principals are forgotten by any committed change of the accounts, made
/// here or merged from a peer.
@Suite struct PrincipalCacheTests {
    actor Loads {
        var count = 0
        func add() { count += 1 }
    }

    @Test func aKeptPrincipalIsForgottenWhenAnAccountChangesLocallyOrByMerge() async throws {
        let here = try TestNode.scratchStore(), peer = try TestNode.scratchStore()
        let accounts = AccountRepository(store: here, clock: SystemClock())
        let admin = try await accounts.createSystemAdmin(
            SystemAdminRegistration(validating: SystemAdminForm(email: "ops@example.org", password: "OpsPass123!")), passwordHash: "hash", clientAddress: nil
        )
        try await peer.apply(try await here.changes(since: 0, limit: 10_000))
        let cache = PrincipalCache(store: here)
        let loads = Loads()
        func principal() async throws -> Principal? {
            try await cache.principal(admin.id) { id in
                await loads.add()
                return try await accounts.principal(userID: id)
            }
        }
        #expect(try await principal()?.role == .systemAdmin)
        #expect(try await principal()?.role == .systemAdmin)
        #expect(await loads.count == 1, "the second request finds the principal kept")

        // A write elsewhere does not forget it; deactivating the account here does.
        _ = try await TokenService(secret: DeploymentSecret(TestNode.secret), store: here, clock: SystemClock()).issue(for: admin)  // a refresh token
        _ = try await principal()
        #expect(await loads.count == 1)
        try await here.write { try $0.update(DomainTables.users.name, id: admin.id.description, set: ["is_active": .integer(0)]) }
        #expect(try await principal() == nil, "a deactivated account is refused at once")
        #expect(await loads.count == 2)

        // Reactivated here (and kept again); deactivated at the peer and merged here: forgotten.
        try await here.write { try $0.update(DomainTables.users.name, id: admin.id.description, set: ["is_active": .integer(1)]) }
        #expect(try await principal()?.role == .systemAdmin)
        #expect(try await principal()?.role == .systemAdmin)
        #expect(await loads.count == 3)
        try await peer.apply(try await here.changes(since: 0, limit: 10_000))
        try await peer.write { try $0.update(DomainTables.users.name, id: admin.id.description, set: ["is_active": .integer(0)]) }
        try await here.apply(try await peer.changes(since: 0, limit: 10_000))
        #expect(try await principal() == nil, "a deactivation merged from a peer is refused at once")
    }
}
