import Foundation
import Logging
import ServiceLifecycle

/// LAN discovery for as long as the node runs (DNS-SD, `_cloudcare-edge._tcp`): advertises this
/// node with its identity in the TXT record and browses for the other nodes of its facility,
/// publishing them to a `PeerRoster` that the sync service follows. Which sightings become
/// candidates, and when a vanished one is dropped, is `DiscoveredPeers`'s decision.
///
/// Without a running avahi-daemon it logs one clear warning and stays out of the way: static
/// peers and the hub keep working.
public struct LANDiscoveryService: Service {
    /// What this node advertises.
    public struct Advertisement: Sendable {
        public let name: String
        /// The replication port peers connect to.
        public let port: UInt16
        /// The identity to publish (node id, facility, port, protocol version).
        public let txt: [String: String]

        public init(name: String, port: UInt16, txt: [String: String]) {
            self.name = name
            self.port = port
            self.txt = txt
        }
    }

    /// How discovered peers are chosen and where they go.
    public struct Browsing: Sendable {
        public let peers: DiscoveredPeers
        public let roster: PeerRoster
        /// Replication URLs already followed as static peers.
        public let staticPeers: Set<String>

        public init(peers: DiscoveredPeers, roster: PeerRoster, staticPeers: Set<String>) {
            self.peers = peers
            self.roster = roster
            self.staticPeers = staticPeers
        }
    }

    static let pollInterval = Duration.milliseconds(250)
    static let reconnectInterval = Duration.seconds(10)

    let advertisement: Advertisement?
    let browsing: Browsing?
    let now: @Sendable () -> Date
    let logger: Logger

    public init(advertisement: Advertisement?, browsing: Browsing?, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.advertisement = advertisement
        self.browsing = browsing
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        var advertised: ServiceAdvertisement?
        var browser: ServiceBrowser?
        do {
            advertised = try advertisement.map { try ServiceAdvertisement(name: $0.name, port: $0.port, txt: $0.txt) }
            browser = try browsing.map { _ in try ServiceBrowser() }
        } catch {
            logger.warning(
                "LAN discovery unavailable: this node is neither advertised nor looking for peers (is avahi-daemon running?); static peers and the hub still work",
                metadata: ["error": "\(error)"]
            )
            try? await gracefulShutdown()
            return
        }
        if let advertisement {
            logger.info("Advertised on the LAN", metadata: ["edge.dnssd.type": "\(ServiceAdvertisement.serviceType)", "edge.dnssd.name": "\(advertisement.name)"])
        }
        var peers = browsing?.peers
        var published: [DiscoveredPeers.Candidate] = []
        // When the daemon stops answering (avahi-daemon restarted), advertise and browse again.
        var reconnectAt: ContinuousClock.Instant?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let registered = advertised, !registered.processPendingResults() {
                // The daemon went away: the browse went with it, whether or not it has said so yet.
                (advertised, browser) = (nil, nil)
                reconnectAt = reconnectAt ?? .now + Self.reconnectInterval
                logger.warning("LAN advertisement lost (avahi-daemon stopped?); trying again every 10 s")
            }
            if let retry = reconnectAt, retry <= .now {
                if advertised == nil, let advertisement {
                    advertised = try? ServiceAdvertisement(name: advertisement.name, port: advertisement.port, txt: advertisement.txt)
                }
                if browser == nil, browsing != nil { browser = try? ServiceBrowser() }
                let restored = (advertised != nil) == (advertisement != nil) && (browser != nil) == (browsing != nil)
                reconnectAt = restored ? nil : .now + Self.reconnectInterval
                if restored { logger.notice("LAN discovery resumed") }
            }
            if let active = browser, let browsing, var current = peers {
                do {
                    update(&current, with: try active.poll())
                } catch {
                    logger.warning("LAN browsing stopped (avahi-daemon stopped?); advertising and browsing again every 10 s, known peers kept meanwhile", metadata: ["error": "\(error)"])
                    (advertised, browser) = (nil, nil)
                    reconnectAt = reconnectAt ?? .now + Self.reconnectInterval
                }
                if current.candidates != published {
                    report(from: published, to: current.candidates)
                    published = current.candidates
                    browsing.roster.publish(Dictionary(
                        published.filter { !browsing.staticPeers.contains($0.url) }.map { ($0.url, $0.nodeID) },
                        uniquingKeysWith: { first, _ in first }
                    ))
                }
                peers = current
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.pollInterval) }
        }
        withExtendedLifetime((advertised, browser)) {}
    }

    private func update(_ peers: inout DiscoveredPeers, with events: [ServiceBrowser.Event]) {
        let now = now()
        for event in events {
            switch event {
            case .found(let service):
                if case .ignored(let reason) = peers.found(service, at: now) {
                    logger.debug("Ignored a discovered service", metadata: ["edge.dnssd.name": "\(service.name)", "reason": "\(reason)"])
                }
            case .lost(let name, let interfaceIndex):
                peers.lost(name: name, interfaceIndex: interfaceIndex, at: now)
            }
        }
        peers.expire(at: now)
    }

    private func report(from old: [DiscoveredPeers.Candidate], to new: [DiscoveredPeers.Candidate]) {
        for candidate in new where !old.contains(candidate) {
            logger.info("Discovered a peer on the LAN", metadata: ["edge.peer.id": "\(candidate.nodeID)", "edge.peer.address": "\(candidate.url)"])
        }
        for candidate in old where !new.contains(where: { $0.nodeID == candidate.nodeID }) {
            logger.notice("Dropped a peer gone from the LAN", metadata: ["edge.peer.id": "\(candidate.nodeID)", "edge.peer.address": "\(candidate.url)"])
        }
    }
}
