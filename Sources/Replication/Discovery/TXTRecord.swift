/// DNS-SD TXT record data (RFC 6763 §6): a sequence of length-prefixed `key=value` strings.
public enum TXTRecord {
    /// The key/value pairs of raw TXT record data. Keys are compared case-insensitively and
    /// returned lowercased; when a key repeats, the first one counts (RFC 6763 §6.4). A string
    /// without `=` is a key with an empty value; a truncated string ends the parse.
    public static func parse(_ bytes: [UInt8]) -> [String: String] {
        var pairs: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            let length = Int(bytes[index])
            index += 1
            guard length > 0 else { continue }
            guard index + length <= bytes.count else { break }
            let item = bytes[index..<index + length]
            index += length
            let separator = item.firstIndex(of: UInt8(ascii: "=")) ?? item.endIndex
            guard separator > item.startIndex else { continue }
            let key = String(decoding: item[item.startIndex..<separator], as: UTF8.self).lowercased()
            let value = separator < item.endIndex ? String(decoding: item[(separator + 1)...], as: UTF8.self) : ""
            if pairs[key] == nil { pairs[key] = value }
        }
        return pairs
    }
}
