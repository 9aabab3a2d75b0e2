import Crypto
import Domain
import Foundation
import Replication

/// Turns an Aadhaar number into what the node may keep: the universal patient UID
/// (HMAC-SHA256, lowercase hex) and the number sealed with AES-256-GCM. Both keys derive from the
/// deployment secret (HKDF, separate purposes), so every node computes the same UID and can open
/// what another sealed, and neither key is the secret itself.
struct AadhaarProtector: Sendable {
    private let uidKey: SymmetricKey
    private let sealingKey: SymmetricKey

    init(secret: DeploymentSecret) {
        uidKey = secret.derivedKey(for: "aadhaar-uid-hmac")
        sealingKey = secret.derivedKey(for: "aadhaar-aes-256-gcm")
    }

    /// The UID: the same number gives the same UID at every node of the deployment.
    func uid(of number: AadhaarNumber) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(number.digits.utf8), using: uidKey).hexString
    }

    /// The number sealed under a fresh nonce (nonce, ciphertext and tag, base64).
    func seal(_ number: AadhaarNumber) throws -> String {
        let box = try AES.GCM.seal(Array(number.digits.utf8), using: sealingKey)
        guard let combined = box.combined else { throw APIError.internalError }
        return combined.base64EncodedString()
    }

    /// Opens a sealed number (the counterpart of `seal`, for Aadhaar-based record lookup); `nil`
    /// when it was not sealed under this deployment's key.
    func open(_ sealed: String) -> AadhaarNumber? {
        guard let data = Data(base64Encoded: sealed),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: sealingKey) else { return nil }
        return AadhaarNumber(String(decoding: plain, as: UTF8.self))
    }
}
