import CDNSSD
#if canImport(Glibc)
import Glibc
#endif

/// Browses the LAN for `_cloudcare-edge._tcp` through Avahi's compat `dns_sd.h`: every instance
/// found is resolved (`DNSServiceResolve`: host, port, TXT) and its host's IPv4 address looked up
/// (`DNSServiceQueryRecord` for the A record: the compat layer has no `DNSServiceGetAddrInfo`).
///
/// Driven by one task calling `poll()`, which never blocks; not safe to share between tasks.
final class ServiceBrowser {
    enum Event: Equatable {
        case found(DiscoveredService)
        case lost(name: String, interfaceIndex: UInt32)
    }

    /// The resolution of one instance on one interface: resolve, then query its address.
    final class Resolution {
        unowned let browser: ServiceBrowser
        let name: String
        let type: String
        let domain: String
        let interfaceIndex: UInt32
        /// 1 for the first try; a resolution that times out is tried again, with a longer timeout.
        let attempt: Int
        let started: ContinuousClock.Instant
        var reference: DNSServiceRef?
        var host = ""
        var port: UInt16 = 0
        var txt: [String: String] = [:]

        init(browser: ServiceBrowser, name: String, type: String, domain: String, interfaceIndex: UInt32, attempt: Int) {
            self.browser = browser
            self.name = name
            self.type = type
            self.domain = domain
            self.interfaceIndex = interfaceIndex
            self.attempt = attempt
            started = .now
        }

        var key: String { "\(interfaceIndex)/\(name)" }

        /// How long this try may take: 3 s, doubling with every try up to 30 s.
        var timeout: Duration { min(ServiceBrowser.firstResolutionTimeout * (1 << min(attempt - 1, 4)), ServiceBrowser.longestResolutionTimeout) }
    }

    /// A resolution (and its address query) that has not answered within its timeout is tried
    /// again, for as long as the instance is browsed: Avahi's compat layer now and then never
    /// answers one (seen after simultaneous registrations and after a daemon restart), and an
    /// instance given up on would stay unknown until it is announced again.
    static let firstResolutionTimeout = Duration.seconds(3)
    static let longestResolutionTimeout = Duration.seconds(30)

    private var browse: DNSServiceRef?
    private var resolutions: [String: Resolution] = [:]
    /// References whose work is done, released after the current round of callbacks (the
    /// daemon may still answer on them in this round: their resolution stays alive until then).
    private var retired: [(reference: DNSServiceRef, resolution: Resolution)] = []
    private var events: [Event] = []
    /// Set when the daemon reports a failure of the browse itself (Avahi's way of saying it went away).
    private var failed = false

    /// Starts browsing; throws when no DNS-SD daemon answers (avahi-daemon not running).
    init() throws {
        let error = DNSServiceBrowse(
            &browse, 0, 0, ServiceAdvertisement.serviceType, nil, ServiceBrowser.browseReply,
            Unmanaged.passUnretained(self).toOpaque()
        )
        guard error == DNSServiceErrorType(kDNSServiceErr_NoError), browse != nil else {
            throw ReplicationError.peerUnavailable("DNS-SD browsing failed (error \(error)); is avahi-daemon running?")
        }
    }

    deinit {
        for reference in retired.map(\.reference) + resolutions.values.compactMap(\.reference) + [browse].compactMap({ $0 }) {
            DNSServiceRefDeallocate(reference)
        }
    }

    /// Lets the daemon's pending answers through and returns what they reported; throws when the
    /// daemon no longer answers (avahi-daemon stopped or restarted: browse again).
    func poll() throws -> [Event] {
        if let browse, !ServiceAdvertisement.processPendingResults(of: browse) || failed {
            throw ReplicationError.peerUnavailable("the DNS-SD daemon stopped answering")
        }
        for reference in resolutions.values.compactMap(\.reference) {
            ServiceAdvertisement.processPendingResults(of: reference)
        }
        let now = ContinuousClock.now
        for (key, resolution) in resolutions where now - resolution.started > resolution.timeout {
            retire(resolution)
            resolutions[key] = nil
            resolve(resolution.name, type: resolution.type, domain: resolution.domain, on: resolution.interfaceIndex, attempt: resolution.attempt + 1)
        }
        for (reference, _) in retired { DNSServiceRefDeallocate(reference) }
        retired.removeAll()
        defer { events.removeAll() }
        return events
    }

    private func retire(_ resolution: Resolution) {
        if let reference = resolution.reference { retired.append((reference, resolution)) }
        resolution.reference = nil
    }

    // MARK: Answers (called from inside DNSServiceProcessResult)

    private func browsed(name: String, type: String, domain: String, interfaceIndex: UInt32, added: Bool) {
        if let running = resolutions.removeValue(forKey: "\(interfaceIndex)/\(name)") { retire(running) }
        guard added else {
            events.append(.lost(name: name, interfaceIndex: interfaceIndex))
            return
        }
        resolve(name, type: type, domain: domain, on: interfaceIndex, attempt: 1)
    }

    private func resolve(_ name: String, type: String, domain: String, on interfaceIndex: UInt32, attempt: Int) {
        let resolution = Resolution(browser: self, name: name, type: type, domain: domain, interfaceIndex: interfaceIndex, attempt: attempt)
        let error = DNSServiceResolve(
            &resolution.reference, 0, interfaceIndex, name, type, domain, ServiceBrowser.resolveReply,
            Unmanaged.passUnretained(resolution).toOpaque()
        )
        if error == DNSServiceErrorType(kDNSServiceErr_NoError) { resolutions[resolution.key] = resolution }
    }

    private func resolved(_ resolution: Resolution, host: String, port: UInt16, txt: [String: String]) {
        guard resolutions[resolution.key] === resolution, resolution.port == 0 else { return }
        retire(resolution)
        resolution.host = host
        resolution.port = port
        resolution.txt = txt
        let error = DNSServiceQueryRecord(
            &resolution.reference, 0, resolution.interfaceIndex, host, UInt16(kDNSServiceType_A), UInt16(kDNSServiceClass_IN),
            ServiceBrowser.addressReply, Unmanaged.passUnretained(resolution).toOpaque()
        )
        if error != DNSServiceErrorType(kDNSServiceErr_NoError) { resolutions[resolution.key] = nil }
    }

    private func addressed(_ resolution: Resolution, ipv4: [UInt8]) {
        guard resolutions[resolution.key] === resolution else { return }
        retire(resolution)
        resolutions[resolution.key] = nil
        events.append(.found(DiscoveredService(
            name: resolution.name, interfaceIndex: resolution.interfaceIndex, host: resolution.host, port: resolution.port,
            txt: resolution.txt, address: ipv4.map(String.init).joined(separator: ".")
        )))
    }

    // MARK: C callbacks (no captures; the context pointer carries the object)

    private static let browseReply: DNSServiceBrowseReply = { _, flags, interfaceIndex, error, name, type, domain, context in
        guard let context else { return }
        guard error == DNSServiceErrorType(kDNSServiceErr_NoError) else {
            Unmanaged<ServiceBrowser>.fromOpaque(context).takeUnretainedValue().failed = true
            return
        }
        guard let name, let type, let domain else { return }
        Unmanaged<ServiceBrowser>.fromOpaque(context).takeUnretainedValue().browsed(
            name: String(cString: name), type: String(cString: type), domain: String(cString: domain),
            interfaceIndex: interfaceIndex, added: flags & DNSServiceFlags(kDNSServiceFlagsAdd) != 0
        )
    }

    private static let resolveReply: DNSServiceResolveReply = { _, _, _, error, _, host, port, txtLength, txtRecord, context in
        guard error == DNSServiceErrorType(kDNSServiceErr_NoError), let context, let host else { return }
        let resolution = Unmanaged<Resolution>.fromOpaque(context).takeUnretainedValue()
        let txt = txtRecord.map { TXTRecord.parse(Array(UnsafeBufferPointer(start: $0, count: Int(txtLength)))) } ?? [:]
        resolution.browser.resolved(resolution, host: String(cString: host), port: UInt16(bigEndian: port), txt: txt)
    }

    private static let addressReply: DNSServiceQueryRecordReply = { _, flags, _, error, _, type, _, length, data, _, context in
        guard error == DNSServiceErrorType(kDNSServiceErr_NoError), flags & DNSServiceFlags(kDNSServiceFlagsAdd) != 0,
              type == UInt16(kDNSServiceType_A), length == 4, let data, let context else { return }
        let resolution = Unmanaged<Resolution>.fromOpaque(context).takeUnretainedValue()
        resolution.browser.addressed(resolution, ipv4: Array(UnsafeRawBufferPointer(start: data, count: 4)))
    }
}
