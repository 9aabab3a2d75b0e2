import Crypto
import Foundation

/// The secret every node of one deployment shares. Keys for separate purposes are derived from
/// it with HKDF-SHA256, so no key is used for two things and the secret itself never travels.
public struct DeploymentSecret: Sendable {
    public static let minimumLength = 16
    private let key: SymmetricKey

    public init(_ secret: String) throws(ReplicationError) {
        guard secret.utf8.count >= Self.minimumLength else {
            throw .invalidConfiguration("the deployment secret must be at least \(Self.minimumLength) characters")
        }
        key = SymmetricKey(data: Array(secret.utf8))
    }

    /// A fresh random secret (64 hex characters).
    public static func generate() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.hexString
    }

    /// A 256-bit key for `purpose` (for example `"jwt-signing"`).
    public func derivedKey(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: Array("cloudcare-edge".utf8), info: Array(purpose.utf8), outputByteCount: 32
        )
    }

    /// The bearer token nodes present to each other's replication endpoints.
    public var replicationToken: String {
        derivedKey(for: "replication-token").withUnsafeBytes { Data($0) }.hexString
    }

    /// Compares a presented token with the expected one in constant time.
    public static func tokensMatch(_ presented: String, _ expected: String) -> Bool {
        let a = Array(presented.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
