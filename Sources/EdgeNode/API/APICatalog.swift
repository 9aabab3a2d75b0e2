import Synchronization

/// Every endpoint the node registered, in registration order: the source of the OpenAPI document,
/// the `/docs` page, and the tests that prove every route is documented and has an access rule.
final class APICatalog: Sendable {
    private let registered = Mutex<[Endpoint]>([])

    func add(_ endpoint: Endpoint) {
        registered.withLock { $0.append(endpoint) }
    }

    var endpoints: [Endpoint] { registered.withLock { $0 } }
}
