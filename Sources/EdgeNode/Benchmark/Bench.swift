import ArgumentParser

/// Placeholder replaced below.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure replication throughput against plain SQLite inserts.")
    func run() async throws {}
}
