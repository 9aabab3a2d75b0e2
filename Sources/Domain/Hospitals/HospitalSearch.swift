/// The rules of the hospital directory search.
public enum HospitalSearch {
    /// Searches return at most this many hospitals.
    public static let resultLimit = 50

    /// Validates a search query: non-empty after trimming, at most 100 characters.
    public static func query(_ raw: String?) throws(DomainError) -> String {
        var check = Validator()
        let query = check.text("query", raw, maxLength: 100)
        try check.check()
        return query
    }
}
