import AsyncHTTPClient
import ServiceLifecycle

/// Keeps an HTTP client for the life of the node and shuts it down after the services that use
/// it have stopped (it is placed before them in the service group, which stops in reverse order).
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
