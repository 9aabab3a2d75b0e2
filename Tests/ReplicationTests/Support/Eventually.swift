import Testing

/// Polls `check` every 20 ms until it holds; records an issue if it still fails after `seconds`.
func eventually(_ what: Comment, within seconds: Double = 5, _ check: () async throws -> Bool) async throws {
    for _ in 0..<Int(seconds * 50) {
        if try await check() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out: \(what)")
}
