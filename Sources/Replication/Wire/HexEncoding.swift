import Foundation

extension Sequence where Element == UInt8 {
    /// The bytes in lowercase hexadecimal (digests, tokens, keys as text).
    public var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
