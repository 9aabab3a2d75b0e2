import Domain
import Logging

/// Seeds the API contract's five demo hospitals and their admin logins. Ids derive from the
/// hospital codes and emails, so demo nodes seeded independently converge to the same rows.
enum DemoData {
    static func seed(accounts: AccountRepository, hasher: PasswordHasher, logger: Logger) async throws {
        var created = 0
        for entry in DemoHospitals.all {
            let registration = DemoHospitals.registration(entry)
            guard try await accounts.user(email: registration.email) == nil else { continue }
            let code = HospitalCode(entry.code)!
            do {
                _ = try await accounts.registerHospital(
                    registration, passwordHash: await hasher.hash(registration.password),
                    code: code, hospitalID: StableIDs.demoHospital(code: code)
                )
                created += 1
            } catch DomainError.conflict {
                continue  // arrived from a peer meanwhile
            }
        }
        if created > 0 { logger.info("Seeded demo hospitals", metadata: ["edge.demo.created": "\(created)"]) }
    }
}
