/// One resolved sighting of a `_cloudcare-edge._tcp` service on one network interface: where it
/// says it is and what its TXT record claims. Only a hint: nothing here is trusted until the
/// peer's certificate verifies.
public struct DiscoveredService: Sendable, Equatable {
    /// The service instance name (the advertising node's name).
    public var name: String
    public var interfaceIndex: UInt32
    /// The host the service runs on, as its SRV record names it.
    public var host: String
    public var port: UInt16
    /// The TXT record's pairs (`node_id`, `facility`, `port`, `proto`).
    public var txt: [String: String]
    /// The host's IPv4 address on that interface.
    public var address: String

    public init(name: String, interfaceIndex: UInt32, host: String, port: UInt16, txt: [String: String], address: String) {
        self.name = name
        self.interfaceIndex = interfaceIndex
        self.host = host
        self.port = port
        self.txt = txt
        self.address = address
    }

    /// The replication endpoint this sighting points at.
    public var url: String { "https://\(address):\(port)" }
}
