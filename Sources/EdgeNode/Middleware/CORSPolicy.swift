import Replication

/// Which browser origins may call the API: an explicit allow-list of exact origins, empty by
/// default (no cross-origin access at all). Pure; `CORSMiddleware` applies it.
struct CORSPolicy: Sendable {
    let allowedOrigins: Set<String>

    /// The origin to echo in `Access-Control-Allow-Origin`, or `nil` to answer without CORS headers.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin, allowedOrigins.contains(origin.lowercased()) else { return nil }
        return origin
    }

    /// Checks and normalises a configured origin: `scheme://host[:port]`, nothing after it.
    static func origin(_ text: String) throws -> String {
        let lower = text.lowercased()
        guard let schemeEnd = lower.range(of: "://"), ["http", "https"].contains(String(lower[..<schemeEnd.lowerBound])),
              !lower[schemeEnd.upperBound...].isEmpty, !lower[schemeEnd.upperBound...].contains("/"), lower != "*"
        else { throw ReplicationError.invalidConfiguration("CORS origin \(text) must be scheme://host[:port], for example https://app.example.org") }
        return lower
    }
}
