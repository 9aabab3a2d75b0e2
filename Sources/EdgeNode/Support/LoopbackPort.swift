#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Synchronization

/// Finds a free TCP port on 127.0.0.1, for benchmarks and live tests. It is drawn below the
/// kernel's ephemeral range (Linux's default starts at 32768): a port the kernel hands out (bind to
/// port 0) is one it may hand again, a moment later, to some outgoing connection as its local port
/// — before the process meant to listen there has bound it. A port is never handed out twice by
/// one process (a node's API and replication ports are asked for one after the other).
enum LoopbackPort {
    static let candidates = 20_000..<32_768
    private static let handedOut = Mutex<Set<Int>>([])

    static func free() -> Int? {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let port = Int.random(in: candidates, using: &generator)
            guard canBind(port), handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            return port
        }
        return nil
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
