import Foundation
import PropertyBased
import Testing
@testable import EdgeNode

extension LiveProcessTests {
    /// Randomized chaos with real processes (bounded in steps and time, seeded): three nodes and the
    /// hub over mutual TLS, each in a network namespace of its own on a switched LAN; random writes
    /// (facilities registered at the hub, sessions begun and resources updated at the nodes) while processes are killed (SIGKILL), stopped (SIGTERM) and restarted, frozen
    /// (SIGSTOP) and thawed, and cut off the network (their bridge port down: they keep taking
    /// writes) and reconnected — the hub included. At the end every replica is equal and no
    /// acknowledged write is missing anywhere.
    @Suite(.serialized, .enabled(if: SwitchedLAN.isAvailable, "needs root, ip and curl (CI runs as root)")) struct ChaosTests {
        static let seed: UInt64 = 20_261_123
        static let steps = 60

        let http = LiveClient()

        enum Fault: CaseIterable { case killed, stopped, frozen, partitioned }

        @Test func randomWritesKillsRestartsAndPartitionsConverge() async throws {
            let lan = try SwitchedLAN(members: 4)
            defer { lan.close() }
            let deployment = try LiveDeployment(nodes: [
                .init(name: "apollo-1", facility: "HC-B2631D", peers: ["apollo-2"]),
                .init(name: "apollo-2", facility: "HC-B2631D", peers: ["apollo-1"]),
                .init(name: "manipal", facility: "HC-L9MLES"),
            ], on: lan)
            defer { deployment.tearDown() }
            let members = deployment.all
            for node in members { try deployment.start(node) }
            for node in members.dropFirst() {
                try await http.eventually(60, "demo accounts at \(node.name)") {
                    try await deployment.request(.POST, node.api + "/api/v1/auth/login", body: ["email": "hospital2@gmail.com", "password": "passme@123"]).status == 200
                }
            }
            // Facility admins' tokens are valid at every node of the deployment.
            func login(_ email: String, at node: ProvisionedNode) async throws -> (token: String, hospital: String) {
                let user = try await deployment.request(.POST, node.api + "/api/v1/auth/login", body: ["email": email, "password": "passme@123"]).object
                return (try #require(user["access_token"] as? String), try #require((user["user"] as? [String: Any])?["hospital_id"] as? String))
            }
            let apollo = try await login("hospital1@gmail.com", at: deployment["apollo-1"])
            let manipal = try await login("hospital2@gmail.com", at: deployment["manipal"])

            func heal(_ fault: Fault, _ node: ProvisionedNode) throws {
                switch fault {
                case .killed, .stopped: try deployment.start(node)
                case .frozen: deployment.freeze(node, false)
                case .partitioned: try deployment.partition(node, false)
                }
            }
            var random = Xoshiro(seed: (Self.seed, 1, 2, 3))
            var faults: [String: (fault: Fault, until: Int)] = [:]
            var signedUp: [String] = [], sessions: [String] = []
            var bedsWritten: [String: Set<Int>] = [:]
            var log: [String] = []
            for step in 0..<Self.steps {
                for (name, fault) in faults where fault.until <= step {
                    try heal(fault.fault, deployment[name])
                    faults[name] = nil
                    log.append("\(step) heal \(name)")
                }
                let healthy = members.filter { faults[$0.name] == nil }
                // Writes go to every running member, partitioned ones included: that is what they are for.
                let writable = members.filter { [nil, .partitioned].contains(faults[$0.name]?.fault) }
                let roll = Int.random(in: 0..<100, using: &random)
                if roll < 55 {
                    guard let node = writable.randomElement(using: &random) else { continue }
                    if node.name == "hub" {
                        // New facilities are registered at the hub.
                        let reply = try? await deployment.request(.POST, node.api + "/api/v1/auth/signup/hospital", body: [
                            "email": "chaos\(step)@clinic.example", "password": "SecurePass123!", "name": "Chaos Clinic \(step)",
                            "phone_primary": "+911234567890", "address_line1": "Road \(step)", "city": "Mysuru", "state": "Karnataka", "postal_code": "570001",
                        ])
                        if reply?.status == 201 { signedUp.append("Chaos Clinic \(step)") }
                        log.append("\(step) sign-up at the hub: \(reply?.status ?? 0)")
                    } else if Bool.random(using: &random) {
                        // A session begins at this node (a new row, wherever the person is).
                        let reply = try? await deployment.request(.POST, node.api + "/api/v1/auth/login", body: ["email": "hospital1@gmail.com", "password": "passme@123"])
                        if reply?.status == 200, let refresh = reply?.object["refresh_token"] as? String { sessions.append(refresh) }
                        log.append("\(step) login at \(node.name): \(reply?.status ?? 0)")
                    } else {
                        let owner = node.name.hasPrefix("apollo") ? apollo : manipal
                        let available = Int.random(in: 0...400, using: &random)
                        bedsWritten[owner.hospital, default: []].insert(available)
                        let reply = try? await deployment.request(.PUT, node.api + "/api/v1/hospitals/\(owner.hospital)/resources", body: [
                            "total_beds": 400, "available_beds": available, "oxygen_cylinders": 1, "ventilators": 1, "ambulances": 1, "blood_bags": 1,
                        ], token: owner.token)
                        log.append("\(step) beds \(available) at \(node.name): \(reply?.status ?? 0)")
                    }
                } else if let victim = healthy.randomElement(using: &random), faults.count < 2 {
                    let fault = Fault.allCases.randomElement(using: &random)!
                    switch fault {
                    case .killed: deployment.stop(victim, signal: SIGKILL)
                    case .stopped: deployment.stop(victim)
                    case .frozen: deployment.freeze(victim, true)
                    case .partitioned: try deployment.partition(victim, true)
                    }
                    faults[victim.name] = (fault, step + Int.random(in: 1...6, using: &random))
                    log.append("\(step) \(fault) \(victim.name)")
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...300, using: &random)))
            }
            for (name, fault) in faults { try heal(fault.fault, deployment[name]) }

            try await http.eventually(120, "all four replicas equal (seed \(Self.seed); \(log.suffix(12).joined(separator: "; ")))") {
                try deployment.replicasEqual(members)
            }
            #expect(signedUp.count > 2 && sessions.count > 2 && bedsWritten.count == 2, "the run did write: \(log)")
            for node in members {
                let names = Set(try await deployment.request(.GET, node.api + "/api/v1/hospitals/", token: apollo.token).array.compactMap { $0["name"] as? String })
                let missing = signedUp.filter { !names.contains($0) }
                #expect(missing.isEmpty, "acknowledged sign-ups missing at \(node.name): \(missing)")
                for (hospital, written) in bedsWritten {
                    let beds = try await deployment.request(.GET, node.api + "/api/v1/hospitals/\(hospital)/resources", token: apollo.token).object["available_beds"] as? Int
                    #expect(beds.map(written.contains) == true, "\(node.name) shows \(beds ?? -1) beds, never written")
                }
            }
            // Every acknowledged session works at every node (each refresh spends one, so they take turns).
            for (offset, session) in sessions.enumerated() {
                let node = members[offset % members.count]
                #expect(try await deployment.request(.POST, node.api + "/api/v1/auth/refresh", body: ["refresh_token": session]).status == 200,
                        "session \(offset) unknown at \(node.name)")
            }
            let status = try deployment.edgectl(["status", "--config", deployment.hub.config, "--node", deployment.hub.replication])
            #expect(status.status == 0 && !status.output.contains("REFUSED"), "no legitimate write was refused by the hub: \(status.output)")
        }
    }
}
