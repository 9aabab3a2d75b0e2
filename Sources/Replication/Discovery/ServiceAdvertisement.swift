import CDNSSD
#if canImport(Glibc)
import Glibc
#endif

/// This node's DNS-SD advertisement (`_cloudcare-edge._tcp`) through Avahi's compat `dns_sd.h`,
/// with its identity in the TXT record. Advertised for as long as the value lives.
///
/// A discovered service is only a hint of where a peer is: peers trust each other through their
/// certificates, never through what they advertise.
public final class ServiceAdvertisement: @unchecked Sendable {
    public static let serviceType = "_cloudcare-edge._tcp"
    private let reference: DNSServiceRef

    /// Registers the service; throws when no DNS-SD daemon answers (avahi-daemon not running).
    public init(name: String, port: UInt16, txt: [String: String]) throws {
        var record = TXTRecordRef()
        TXTRecordCreate(&record, 0, nil)
        defer { TXTRecordDeallocate(&record) }
        for (key, value) in txt.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(value.utf8.prefix(255))
            _ = TXTRecordSetValue(&record, key, UInt8(bytes.count), bytes)
        }
        var reference: DNSServiceRef?
        let error = DNSServiceRegister(
            &reference, 0, 0, name, Self.serviceType, nil, nil, port.bigEndian,
            TXTRecordGetLength(&record), TXTRecordGetBytesPtr(&record), nil, nil
        )
        guard error == DNSServiceErrorType(kDNSServiceErr_NoError), let reference else {
            throw ReplicationError.peerUnavailable("DNS-SD registration failed (error \(error)); is avahi-daemon running?")
        }
        self.reference = reference
    }

    /// Lets the daemon's answers (confirmation, name conflicts) through, without blocking.
    public func processPendingResults() {
        Self.processPendingResults(of: reference)
    }

    /// Runs the callbacks of whatever the daemon has sent on `reference`, without blocking.
    static func processPendingResults(of reference: DNSServiceRef) {
        var descriptor = pollfd(fd: DNSServiceRefSockFD(reference), events: Int16(POLLIN), revents: 0)
        var rounds = 0
        while rounds < 16, poll(&descriptor, 1, 0) > 0, descriptor.revents & Int16(POLLIN) != 0 {
            guard DNSServiceProcessResult(reference) == DNSServiceErrorType(kDNSServiceErr_NoError) else { return }
            rounds += 1
        }
    }

    deinit { DNSServiceRefDeallocate(reference) }
}
