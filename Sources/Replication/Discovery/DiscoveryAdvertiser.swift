import Logging
import ServiceLifecycle

/// Advertises this node on the LAN (DNS-SD, `_cloudcare-edge._tcp`) for as long as it runs.
/// Without a running avahi-daemon it logs one clear warning and stays out of the way: static
/// peers and the hub keep working.
public struct DiscoveryAdvertiser: Service {
    let name: String
    let port: UInt16
    let txt: [String: String]
    let logger: Logger

    /// - Parameters:
    ///   - port: the replication port peers connect to.
    ///   - txt: the identity to publish (node id, facility, port, protocol version).
    public init(name: String, port: UInt16, txt: [String: String], logger: Logger) {
        self.name = name
        self.port = port
        self.txt = txt
        self.logger = logger
    }

    public func run() async throws {
        let advertisement: ServiceAdvertisement
        do {
            advertisement = try ServiceAdvertisement(name: name, port: port, txt: txt)
        } catch {
            logger.warning(
                "LAN discovery unavailable: this node is not advertised (is avahi-daemon running?); static peers and the hub still work",
                metadata: ["error": "\(error)"]
            )
            try? await gracefulShutdown()
            return
        }
        logger.info("Advertised on the LAN", metadata: ["edge.dnssd.type": "\(ServiceAdvertisement.serviceType)", "edge.dnssd.name": "\(name)"])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            advertisement.processPendingResults()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
        withExtendedLifetime(advertisement) {}
    }
}
