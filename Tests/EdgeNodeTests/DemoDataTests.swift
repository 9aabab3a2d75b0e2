import Foundation
import GRDB
import Logging
import Replication
import Testing
@testable import EdgeNode

@Suite struct DemoDataTests {
    @Test func demoNodesSeededIndependentlyConvergeInsteadOfDuplicating() async throws {
        let a = try TestNode.scratchStore(), b = try TestNode.scratchStore()
        for store in [a, b] {
            try await DemoData.seed(
                accounts: AccountRepository(store: store, clock: SystemClock()), hasher: PasswordHasher(cost: 4),
                logger: Logger(label: "test")
            )
        }
        try await b.apply(try await a.changes(since: 0, limit: 10_000))
        try await a.apply(try await b.changes(since: 0, limit: 10_000))
        #expect(try await a.digest() == b.digest())
        for store in [a, b] {
            let counts = try await store.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM hospitals")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM users")!)
            }
            #expect(counts == (5, 5))
        }
        // Seeding again is a no-op.
        let before = a.dbVersion
        try await DemoData.seed(accounts: AccountRepository(store: a, clock: SystemClock()), hasher: PasswordHasher(cost: 4), logger: Logger(label: "test"))
        #expect(a.dbVersion == before)
    }
}
