import Crypto
import Foundation
import Testing
import Replication
@testable import EdgeNode

extension LiveProcessTests {
    /// DNS-SD on a private LAN (`PrivateLAN`): provisioned nodes advertise themselves, find the other
    /// nodes of their facility with no static peers, and replicate once certificates verify.
    @Suite(.serialized, .enabled(if: PrivateLAN.isAvailable, "needs root, ip, curl, avahi-daemon and avahi-browse (make test installs them)"))
    struct LANDiscoveryTests {
        func temporaryRoot(_ name: String) throws -> String {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID())").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            return root
        }

        /// Polls `check` every 250 ms until it holds or `seconds` pass (bounded).
        func eventually(_ seconds: Double, _ what: String, _ check: () throws -> Bool) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if (try? check()) == true { return }
                try await Task.sleep(for: .milliseconds(250))
            }
            Issue.record("timed out after \(seconds) s waiting for: \(what)")
            throw CancellationError()
        }

        @Test func aProvisionedNodeIsAdvertisedWithItsIdentityAndSeenByAnIndependentImplementation() async throws {
            let root = try temporaryRoot("edge-lan")
            let lan = try PrivateLAN(name: "edge-lan")
            defer { lan.close(); try? FileManager.default.removeItem(atPath: root) }

            #expect(try NodeProcess.run("edgectl", ["ca", "init", "--dir", root + "/ca"]).status == 0)
            let node = try ProvisionedNode.provision("ward-9", root: root, facility: "HC-L9MLES", listen: "10.77.0.1", ports: (18400, 18401))
            _ = try lan.launchNode(config: node.config, log: root + "/ward-9.log")

            // Avahi's own browser resolves it with the identity in the TXT record…
            var resolved = ""
            for _ in 0..<20 where !resolved.contains(node.nodeID) {
                resolved = try lan.exec(["avahi-browse", "-rpt", "_cloudcare-edge._tcp"], timeout: 6).output
                if !resolved.contains(node.nodeID) { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(resolved.contains("\"node_id=\(node.nodeID)\""), "\(resolved)")
            #expect(resolved.contains("\"facility=HC-L9MLES\"") && resolved.contains("\"port=18401\"") && resolved.contains("\"proto=\(ReplicationProtocol.version)\""))
            #expect(resolved.contains("10.77.0.1") || resolved.contains("10.77.0.2"))

            // …and so does an independent implementation, python-zeroconf, when present.
            guard try NamespaceCommands.shell(["python3", "-c", "import zeroconf"]).status == 0 else { return }
            let script = """
                import time
                from zeroconf import Zeroconf, ServiceBrowser, ServiceListener
                found = {}
                class Listener(ServiceListener):
                    def add_service(self, zc, kind, name):
                        info = zc.get_service_info(kind, name, timeout=3000)
                        if info: found.update({k.decode(): (v or b"").decode() for k, v in info.properties.items()})
                    def update_service(self, zc, kind, name): self.add_service(zc, kind, name)
                    def remove_service(self, zc, kind, name): pass
                zc = Zeroconf(); ServiceBrowser(zc, "_cloudcare-edge._tcp.local.", Listener())
                deadline = time.time() + 10
                while time.time() < deadline and "node_id" not in found: time.sleep(0.2)
                zc.close(); print(found.get("node_id", ""), found.get("facility", ""))
                """
            let zeroconf = try lan.exec(["python3", "-c", script], timeout: 30)
            #expect(zeroconf.output.contains("\(node.nodeID) HC-L9MLES"), "\(zeroconf.output)")
        }

        @Test func nodesOfOneFacilityFindEachOtherByDNSSDAloneAndStrangersAreRefused() async throws {
            let root = try temporaryRoot("edge-lan-peers")
            let lan = try PrivateLAN(name: "edge-peers")
            defer { lan.close(); try? FileManager.default.removeItem(atPath: root) }
            for ca in ["ca", "other-ca"] {
                #expect(try NodeProcess.run("edgectl", ["ca", "init", "--dir", "\(root)/\(ca)"]).status == 0)
            }
            // No static peers anywhere. Every node listens on all of the namespace's addresses.
            func provision(_ name: String, ca: String = "ca", facility: String = "HC-B2631D", ports: (Int, Int)) throws -> ProvisionedNode {
                try ProvisionedNode.provision(name, root: root, ca: ca, facility: facility, listen: "0.0.0.0", address: "10.77.0.1", ports: ports)
            }
            let a = try provision("ward-a", ports: (18410, 18411))
            let b = try provision("ward-b", ports: (18420, 18421))
            let stranger = try provision("stranger", ca: "other-ca", ports: (18430, 18431))
            let otherFacility = try provision("elsewhere", facility: "HC-L9MLES", ports: (18440, 18441))
            for node in [a, b, stranger, otherFacility] {
                _ = try lan.launchNode(config: node.config, log: "\(root)/\(node.name).log")
            }
            for node in [a, b, stranger, otherFacility] {
                try await eventually(30, "\(node.name) healthy") { try lan.request("GET", node.api + "/health").object["status"] as? String == "healthy" }
            }

            // A write at A reaches B: they found each other by DNS-SD and trusted each other's certificates.
            let signup = try lan.request("POST", a.api + "/api/v1/auth/signup/hospital", json: [
                "email": "admin@lan.example", "password": "SecurePass123!", "name": "LAN Hospital", "phone_primary": "+911234567890",
                "address_line1": "Road 1", "city": "Mysuru", "state": "Karnataka", "postal_code": "570001",
            ])
            #expect(signup.status == 201)
            try await eventually(45, "login at B after discovery and replication") {
                try lan.request("POST", b.api + "/api/v1/auth/login", json: ["email": "admin@lan.example", "password": "SecurePass123!"]).status == 200
            }
            let edgectl = try NodeProcess.binary("edgectl").path
            try await eventually(30, "A and B equal (B's session, made at login, flows back to A)") {
                try lan.exec([edgectl, "verify", "--config", a.config, "--node", a.replication, "--node", b.replication]).output.contains("replicas equal")
            }

            // A document uploaded at A: B fetches its file in the background from A, a peer it knows
            // by DNS-SD alone (the blob store keeps it only if it hashes right).
            let patient = try lan.request("POST", a.api + "/api/v1/auth/signup/patient", json: TestAccounts.patient(61))
            let patientToken = try #require(patient.object["access_token"] as? String)
            let patientID = try #require((patient.object["user"] as? [String: Any])?["patient_id"] as? String)
            let scan = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try scan.write(to: URL(fileURLWithPath: root + "/scan.bin"))
            let upload = try lan.exec([
                "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(patientToken)",
                "-F", "patient_id=\(patientID)", "-F", "title=Scan", "-F", "record_type=IMAGING", "-F", "date=2025-11-15",
                "-F", "file=@\(root)/scan.bin", a.api + "/api/v1/documents/upload",
            ])
            #expect(upload.output == "201", "\(upload.output)")
            let sha256 = SHA256.hash(data: scan).hexString
            try await eventually(30, "B holds the document's file") {
                FileManager.default.contents(atPath: "\(root)/\(b.name)-data/blobs/sha256/\(sha256.prefix(2))/\(sha256.dropFirst(2))") == scan
            }

            // The stranger (same facility, another CA) is discovered and dialled, but refused at the TLS
            // handshake; the node of another facility is never dialled.
            var peers: [[String: Any]] = []
            try await eventually(30, "A reports the stranger as refused") {
                peers = (try lan.request("GET", a.api + "/health").object["sync"] as? [String: Any])?["peers"] as? [[String: Any]] ?? []
                return peers.contains { $0["node_id"] as? String == stranger.nodeID && $0["state"] as? String == "refused" }
            }
            #expect(peers.contains { $0["node_id"] as? String == b.nodeID && $0["state"] as? String != "refused" }, "\(peers)")
            #expect(!peers.contains { $0["node_id"] as? String == otherFacility.nodeID }, "\(peers)")
            #expect(peers.count == 2, "B and the stranger, both found by DNS-SD: \(peers)")
            let refusal = peers.first { $0["node_id"] as? String == stranger.nodeID }?["last_error"] as? String
            #expect(refusal?.contains("not from this deployment's CA") == true, "\(refusal ?? "")")
            #expect(try lan.request("POST", stranger.api + "/api/v1/auth/login", json: ["email": "admin@lan.example", "password": "SecurePass123!"]).status == 401,
                    "nothing reached the stranger")
            #expect(try lan.request("POST", otherFacility.api + "/api/v1/auth/login", json: ["email": "admin@lan.example", "password": "SecurePass123!"]).status == 401)

            // avahi-daemon restarts: the nodes advertise and browse again, and find one started afterwards.
            try await lan.restartAvahi()
            let late = try provision("ward-c", ports: (18450, 18451))
            _ = try lan.launchNode(config: late.config, log: "\(root)/ward-c.log")
            func peerList(of node: ProvisionedNode) throws -> [[String: Any]] {
                (try lan.request("GET", node.api + "/health").object["sync"] as? [String: Any])?["peers"] as? [[String: Any]] ?? []
            }
            try await eventually(120, "A and the late node find each other after the daemon restarted") {
                try peerList(of: a).contains { $0["node_id"] as? String == late.nodeID && $0["state"] as? String == "idle" }
                    && peerList(of: late).contains { $0["node_id"] as? String == a.nodeID && $0["state"] as? String == "idle" }
            }
            try await eventually(30, "the late node caught up") {
                try lan.request("POST", late.api + "/api/v1/auth/login", json: ["email": "admin@lan.example", "password": "SecurePass123!"]).status == 200
            }
        }
    }
}
