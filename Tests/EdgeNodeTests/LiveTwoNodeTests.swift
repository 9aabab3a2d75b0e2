import Foundation
import Crypto
import Replication
import Testing
@testable import EdgeNode

extension LiveProcessTests {
    /// Two real `edge-node` processes on loopback, each the other's static peer.
    @Suite(.serialized) struct LiveTwoNodeTests {
        let http = LiveClient()
        let replicationToken = try! DeploymentSecret(NodeProcess.secret).replicationToken

        func makePair(batchLimit: Int = 2000, extraArgumentsOfB: [String] = []) throws -> (NodeProcess, NodeProcess, String) {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-live-\(UUID())").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let portA = try #require(LoopbackPort.free()), portB = try #require(LoopbackPort.free())
            let a = try NodeProcess(name: "ward-a", port: portA, dataDirectory: root + "/a", peers: ["http://127.0.0.1:\(portB)"])
            let b = try NodeProcess(
                name: "ward-b", port: portB, dataDirectory: root + "/b", peers: ["http://127.0.0.1:\(portA)"], extraArguments: extraArgumentsOfB
            )
            try a.start(batchLimit: batchLimit)
            try b.start(batchLimit: batchLimit)
            return (a, b, root)
        }

        func waitHealthy(_ node: NodeProcess) async throws {
            try await http.eventually(60, "\(node.name) healthy") {
                try await http.request(.GET, node.baseURL + "/health").object["status"] as? String == "healthy"
            }
        }

        func signUp(_ node: NodeProcess, _ index: Int) async throws -> [String: Any] {
            let reply = try await http.request(.POST, node.baseURL + "/api/v1/auth/signup/hospital", body: [
                "email": "admin\(index)@ward.example", "password": "SecurePass123!", "name": "Ward Hospital \(index)",
                "phone_primary": "+911234567890", "address_line1": "Road \(index)", "city": "Mysuru", "state": "Karnataka",
                "postal_code": "570001",
            ])
            #expect(reply.status == 201)
            return reply.object
        }

        func digest(_ node: NodeProcess) async throws -> String? {
            try await http.request(.GET, node.baseURL + "/replication/v1/digest", deploymentToken: replicationToken).object["combined"] as? String
        }

        func converged(_ a: NodeProcess, _ b: NodeProcess) async throws -> Bool {
            let (da, db) = (try await digest(a), try await digest(b))
            return da != nil && da == db
        }

        @Test func signUpAtOneNodeLogInAtTheOtherAndCatchUpAfterDowntime() async throws {
            let (a, b, root) = try makePair()
            defer { a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            try await waitHealthy(a)
            try await waitHealthy(b)

            // Step 3: sign up at A, log in at B within seconds.
            let signup = try await signUp(a, 1)
            let code = try #require((signup["user"] as? [String: Any])?["hospital_code"] as? String)
            let started = Date()
            var login = LiveClient.Reply(status: 0, json: nil)
            try await http.eventually(10, "login at B") {
                login = try await http.request(.POST, b.baseURL + "/api/v1/auth/login", body: ["email": "admin1@ward.example", "password": "SecurePass123!"])
                return login.status == 200
            }
            #expect(Date().timeIntervalSince(started) < 5, "replicated within seconds")
            let token = try #require(login.object["access_token"] as? String)
            let me = try await http.request(.GET, b.baseURL + "/api/v1/auth/me", token: token)
            #expect(me.object["hospital_code"] as? String == code)
            for node in [a, b] {
                let list = try await http.request(.GET, node.baseURL + "/api/v1/hospitals/", token: token).array
                #expect(list.contains { $0["hospital_code"] as? String == code })
                let search = try await http.request(.GET, node.baseURL + "/api/v1/hospitals/search?query=ward%20hospital%201", token: token).array
                #expect(search.map { $0["hospital_code"] as? String } == [code])
            }
            // An access token minted by A works at B, and B's at A.
            let tokenFromA = try #require(signup["access_token"] as? String)
            #expect(try await http.request(.GET, b.baseURL + "/api/v1/auth/me", token: tokenFromA).status == 200)

            // Step 4: B is stopped, A keeps working, B catches up when it is back. The stop is
            // graceful and prompt even though A holds a long poll open at B.
            let stopping = Date()
            #expect(b.stop() == 0)
            #expect(Date().timeIntervalSince(stopping) < 5)
            for index in 2...6 { _ = try await signUp(a, index) }
            try b.start()
            try await waitHealthy(b)
            try await http.eventually(20, "B caught up after downtime") { try await converged(a, b) }
            let verify = try NodeProcess.run("edgectl", ["verify", "--node", a.baseURL, "--node", b.baseURL])
            #expect(verify.status == 0)
            #expect(verify.output.contains("replicas equal"))
            let status = try NodeProcess.run("edgectl", ["status", "--node", b.baseURL])
            #expect(status.status == 0)
            #expect(status.output.contains(a.baseURL) && status.output.contains("idle"))
            let health = try await http.request(.GET, b.baseURL + "/health").object
            let sync = try #require(health["sync"] as? [String: Any])
            #expect(sync["last_successful_sync"] as? String != nil)
            #expect((sync["peers"] as? [[String: Any]])?.first?["node_id"] as? String != nil)
        }

        /// Identity across nodes: a patient signed up at A logs in and refreshes at B; the session
        /// rotated at B is known at A (reusing A's old token revokes the family there); the access
        /// log at either node shows what happened at both, with the node it happened at.
        @Test func aPatientSignedUpAtOneNodeLogsInRefreshesAndIsAuditedAtTheOther() async throws {
            let (a, b, root) = try makePair()
            defer { a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            try await waitHealthy(a)
            try await waitHealthy(b)
            let nodeA = try #require(try await http.request(.GET, a.baseURL + "/health").object["node"] as? [String: Any])["id"] as? String
            let nodeB = try #require(try await http.request(.GET, b.baseURL + "/health").object["node"] as? [String: Any])["id"] as? String

            let signup = try await http.request(.POST, a.baseURL + "/api/v1/auth/signup/patient", body: TestAccounts.patient(42))
            #expect(signup.status == 201)
            let patientID = try #require((signup.object["user"] as? [String: Any])?["patient_id"] as? String)
            let firstRefresh = try #require(signup.object["refresh_token"] as? String)
            // Wait for the sign-up to reach B before logging in there: logins refused while it is on
            // its way would count against the account's login limit.
            try await http.eventually(30, "B has A's sign-up") { try await converged(a, b) }
            var login = LiveClient.Reply(status: 0, json: nil)
            try await http.eventually(10, "login at B") {
                login = try await http.request(.POST, b.baseURL + "/api/v1/auth/login", body: ["email": "patient42@example.com", "password": "SecurePass123!"])
                return login.status == 200
            }
            #expect((login.object["user"] as? [String: Any])?["patient_id"] as? String == patientID)
            let rotated = try await http.request(.POST, b.baseURL + "/api/v1/auth/refresh", body: ["refresh_token": firstRefresh])
            #expect(rotated.status == 200, "A's refresh token works at B")

            let token = try #require(login.object["access_token"] as? String)
            for node in [b, a] {
                try await http.eventually(10, "the access log at \(node.name)") {
                    let entries = try await http.request(.GET, node.baseURL + "/api/v1/patients/\(patientID)/access-log", token: token)
                        .object["entries"] as? [[String: Any]] ?? []
                    let seen = Set(entries.map { "\($0["action"] ?? "") \($0["node_id"] ?? "")" })
                    return seen.isSuperset(of: ["CREATE \(nodeA ?? "")", "LOGIN \(nodeB ?? "")", "REFRESH \(nodeB ?? "")"])
                }
            }
            // B's refresh has reached A (its audit entry, written after the rotation, did; the feed
            // arrives in order): the token B spent is spent at A too.
            let replay = try await http.request(.POST, a.baseURL + "/api/v1/auth/refresh", body: ["refresh_token": firstRefresh])
            #expect(replay.status == 401 && replay.object["code"] as? String == "refresh_token_reused")
        }

        /// Signs a patient up at A and uploads a 1.5 MB document there: (patient token, patient id,
        /// record id, the bytes).
        func uploadDocument(at a: NodeProcess, patient index: Int) async throws -> (token: String, patient: String, record: String, bytes: [UInt8]) {
            let signup = try await http.request(.POST, a.baseURL + "/api/v1/auth/signup/patient", body: TestAccounts.patient(index))
            let token = try #require(signup.object["access_token"] as? String)
            let patient = try #require((signup.object["user"] as? [String: Any])?["patient_id"] as? String)
            let bytes = (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let fields = [("patient_id", patient), ("title", "MRI"), ("record_type", "IMAGING"), ("date", "2025-11-15")]
            let body = Array(DocumentRoutesTests.multipart(fields, file: bytes).readableBytesView)
            let uploaded = try await http.raw(.POST, a.baseURL + "/api/v1/documents/upload", body: body,
                                              contentType: "multipart/form-data; boundary=\(DocumentRoutesTests.boundary)", token: token)
            #expect(uploaded.status == 201)
            let record = try #require((try JSONSerialization.jsonObject(with: Data(uploaded.bytes)) as? [String: Any])?["id"] as? String)
            return (token, patient, record, bytes)
        }

        /// Where a node keeps the blob of `bytes`.
        func blobPath(_ bytes: [UInt8], in dataDirectory: String) -> String {
            let sha256 = SHA256.hash(data: bytes).hexString
            return "\(dataDirectory)/blobs/sha256/\(sha256.prefix(2))/\(sha256.dropFirst(2))"
        }

        /// With prefetching off, B lists a document uploaded at A without its file, and fetches
        /// the bytes from A on the first download — verified by hash, byte-identical, then kept.
        @Test func aDocumentUploadedAtOneNodeIsFetchedOnItsFirstDownloadAtTheOther() async throws {
            let (a, b, root) = try makePair(extraArgumentsOfB: ["--no-blob-prefetch"])
            defer { a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            try await waitHealthy(a)
            try await waitHealthy(b)
            let (token, patient, record, bytes) = try await uploadDocument(at: a, patient: 43)
            try await http.eventually(10, "the document listed at B") {
                try await http.request(.GET, b.baseURL + "/api/v1/documents/\(patient)", token: token).array.count == 1
            }
            #expect(!FileManager.default.fileExists(atPath: blobPath(bytes, in: root + "/b")), "not prefetched")
            let downloaded = try await http.raw(.GET, b.baseURL + "/api/v1/documents/\(patient)/\(record)/content", token: token)
            #expect(downloaded.status == 200 && downloaded.bytes == bytes)
            #expect(FileManager.default.fileExists(atPath: blobPath(bytes, in: root + "/b")), "kept at B once fetched")
        }

        /// By default B fetches the file of a document uploaded at A in the background, as soon as
        /// the record arrives; it then opens at B with A gone.
        @Test func aDocumentsFileIsPrefetchedAndOpensAfterItsNodeIsGone() async throws {
            let (a, b, root) = try makePair()
            defer { a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            try await waitHealthy(a)
            try await waitHealthy(b)
            let (token, patient, record, bytes) = try await uploadDocument(at: a, patient: 44)
            try await http.eventually(15, "B prefetched the file") {
                FileManager.default.fileExists(atPath: blobPath(bytes, in: root + "/b"))
            }
            a.kill()
            let downloaded = try await http.raw(.GET, b.baseURL + "/api/v1/documents/\(patient)/\(record)/content", token: token)
            #expect(downloaded.status == 200 && downloaded.bytes == bytes)
        }

        @Test func killNineMidSyncLosesNothingAcknowledgedAndConverges() async throws {
            let (a, b, root) = try makePair(batchLimit: 1)
            defer { a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            try await waitHealthy(a)
            try await waitHealthy(b)

            // A builds a backlog while B is down.
            b.kill()
            for index in 0..<150 { _ = try await signUp(a, 100 + index) }

            // B restarts and is killed while it is pulling that backlog in small batches.
            try b.start(batchLimit: 1)
            var checkpointAtKill = 0
            try await http.eventually(30, "B started pulling") {
                let status = try await http.request(.GET, b.baseURL + "/replication/v1/status", deploymentToken: replicationToken).object
                checkpointAtKill = (status["checkpoints"] as? [[String: Any]])?.first?["db_version"] as? Int ?? 0
                return checkpointAtKill > 0
            }
            b.kill()
            let headOfA = try await http.request(.GET, a.baseURL + "/replication/v1/status", deploymentToken: replicationToken).object["db_version"] as? Int ?? 0
            #expect(checkpointAtKill < headOfA, "B was killed in the middle of its catch-up")

            // A is killed right after acknowledging a write: the write survives the restart.
            _ = try await signUp(a, 999)
            a.kill()
            try a.start()
            try b.start()
            try await waitHealthy(a)
            try await waitHealthy(b)
            let login = try await http.request(.POST, a.baseURL + "/api/v1/auth/login", body: ["email": "admin999@ward.example", "password": "SecurePass123!"])
            #expect(login.status == 200)
            try await http.eventually(60, "replicas converge after kill -9") { try await converged(a, b) }
            let token = try #require(login.object["access_token"] as? String)
            let hospitals = try await http.request(.GET, b.baseURL + "/api/v1/hospitals/", token: token).array
            #expect(hospitals.count == 151)
        }

        @Test func nodesReachEachOtherThroughTheHubAlone() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-hub-\(UUID())").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let hubPort = try #require(LoopbackPort.free())
            let hub = try NodeProcess(name: "hub", port: hubPort, dataDirectory: root + "/hub", peers: [], role: "hub")
            let a = try NodeProcess(name: "ward-a", port: try #require(LoopbackPort.free()), dataDirectory: root + "/a", peers: [], hub: hub.baseURL)
            let b = try NodeProcess(name: "ward-b", port: try #require(LoopbackPort.free()), dataDirectory: root + "/b", peers: [], hub: hub.baseURL)
            defer { hub.stop(); a.stop(); b.stop(); try? FileManager.default.removeItem(atPath: root) }
            for node in [hub, a, b] {
                try node.start()
                try await waitHealthy(node)
            }
            #expect((try await http.request(.GET, hub.baseURL + "/health").object["node"] as? [String: Any])?["role"] as? String == "hub")
            _ = try await signUp(a, 7)
            try await http.eventually(15, "login at B via the hub") {
                try await http.request(.POST, b.baseURL + "/api/v1/auth/login", body: ["email": "admin7@ward.example", "password": "SecurePass123!"]).status == 200
            }
            try await http.eventually(15, "all three equal") {
                let first = try await converged(a, hub)
                let second = try await converged(b, hub)
                return first && second
            }
        }
    }
}
