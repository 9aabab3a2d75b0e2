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
    private let outcome = Outcome()

    /// What the daemon said of the registration (set from its callback, read by the same task).
    private final class Outcome {
        var failed = false
    }

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
            TXTRecordGetLength(&record), TXTRecordGetBytesPtr(&record),
            { _, _, error, _, _, _, context in
                // Avahi reports a lost daemon (and a failed registration) through this callback.
                guard error != DNSServiceErrorType(kDNSServiceErr_NoError), let context else { return }
                Unmanaged<Outcome>.fromOpaque(context).takeUnretainedValue().failed = true
            },
            Unmanaged.passUnretained(outcome).toOpaque()
        )
        guard error == DNSServiceErrorType(kDNSServiceErr_NoError), let reference else {
            throw ReplicationError.peerUnavailable("DNS-SD registration failed (error \(error)); is avahi-daemon running?")
        }
        self.reference = reference
    }

    /// Lets the daemon's answers (confirmation, name conflicts) through, without blocking; returns
    /// false when the daemon's connection failed (the registration is gone with it).
    @discardableResult
    public func processPendingResults() -> Bool {
        Self.processPendingResults(of: reference) && !outcome.failed
    }

    /// Runs the callbacks of whatever the daemon has sent on `reference`, without blocking;
    /// returns false when the daemon's connection failed.
    @discardableResult
    static func processPendingResults(of reference: DNSServiceRef) -> Bool {
        var descriptor = pollfd(fd: DNSServiceRefSockFD(reference), events: Int16(POLLIN), revents: 0)
        var rounds = 0
        while rounds < 16, poll(&descriptor, 1, 0) > 0 {
            if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return false }
            guard descriptor.revents & Int16(POLLIN) != 0 else { return true }
            guard DNSServiceProcessResult(reference) == DNSServiceErrorType(kDNSServiceErr_NoError) else { return false }
            rounds += 1
        }
        return true
    }

    deinit { DNSServiceRefDeallocate(reference) }
}
