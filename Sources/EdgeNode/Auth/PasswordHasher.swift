import Dispatch
import HummingbirdBcrypt

/// bcrypt, run off the server's event loops (a cost-12 hash takes a few hundred milliseconds).
struct PasswordHasher: Sendable {
    let cost: UInt8

    func hash(_ password: String) async -> String {
        await offload { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async -> Bool {
        await offload { Bcrypt.verify(password, hash: hash) }
    }

    /// Burns the time of one verification, so unknown accounts answer as slowly as known ones.
    func verifyNothing(_ password: String) async {
        _ = await verify(password, against: Self.decoyHash)
    }

    private static let decoyHash = Bcrypt.hash("decoy-password", cost: 12)

    private func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
