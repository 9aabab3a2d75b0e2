import Crypto
import Domain
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Replication
import Testing
@testable import EdgeNode

@Suite struct PatientAndDoctorSignUpTests {
    @Test func aPatientSignsUpWithAnAadhaarThatIsOnlyKeptAsUIDAndCiphertext() async throws {
        let settings = TestNode.settings()
        defer { try? FileManager.default.removeItem(atPath: settings.dataDirectory) }
        let app = try await buildNode(settings).application
        let number = TestAccounts.aadhaar(7)
        try await app.test(.router) { client in
            let body = try await client.signUp("/api/v1/auth/signup/patient", TestAccounts.patient(7))
            #expect(body["token_type"] as? String == "bearer" && body["refresh_token"] is String)
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["role"] as? String == "PATIENT" && user["name"] as? String == "Patient Number 7")
            let uid = try #require(user["aadhar_uid"] as? String)
            let expected = HMAC<SHA256>.authenticationCode(
                for: Array(number.utf8), using: try DeploymentSecret(TestNode.secret).derivedKey(for: "aadhaar-uid-hmac")
            ).hexString
            #expect(uid == expected)
            #expect(UUID(uuidString: user["patient_id"] as? String ?? "") != nil)
            #expect(!String(buffer: try await client.post("/api/v1/auth/login", ["email": "patient7@example.com", "password": "SecurePass123!"]).body).contains(number))
            let me = try await client.get("/api/v1/auth/me", token: body["access_token"] as? String)
            #expect(try object(me)["aadhar_uid"] as? String == uid)
            #expect(!String(buffer: me.body).contains(number))

            // The same person again (written with spaces), under another email: 409.
            var again = TestAccounts.patient(7, email: "someone.else@example.com")
            again["aadhar_number"] = number.enumerated().map { $0.offset % 4 == 0 && $0.offset > 0 ? " \($0.element)" : "\($0.element)" }.joined()
            try expectError(try await client.post("/api/v1/auth/signup/patient", again), .conflict, code: "conflict")
            try expectError(try await client.post("/api/v1/auth/signup/patient", TestAccounts.patient(8, email: "patient7@example.com")), .conflict, code: "conflict")

            // A wrong check digit is a 422 on the field, without echoing the number.
            var typo = TestAccounts.patient(9)
            typo["aadhar_number"] = String(number.dropLast()) + String((Int(String(number.last!))! + 1) % 10)
            let refused = try await client.post("/api/v1/auth/signup/patient", typo)
            try expectError(refused, .unprocessableContent, code: "validation_error")
            #expect((try object(refused)["fields"] as? [[String: Any]])?.first?["field"] as? String == "aadhar_number")
            #expect(!String(buffer: refused.body).contains(String(number.prefix(8))))
        }
        // At rest: the UID and an AES-GCM box that opens to the number; the digits appear nowhere.
        let store = try ReplicatedStore.open(path: settings.databasePath, schema: DomainTables.schema, migrations: DomainTables.registerMigrations)
        let sealed = try #require(try await store.read { try String.fetchOne($0, sql: "SELECT aadhar_encrypted FROM patients") })
        #expect(AadhaarProtector(secret: try DeploymentSecret(TestNode.secret)).open(sealed)?.digits == number)
        #expect(AadhaarProtector(secret: try DeploymentSecret("another-deployment-secret-000")).open(sealed) == nil)
        let dump = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM patients").map { "\($0)" }.joined() + (try Row.fetchAll(db, sql: "SELECT * FROM audit_logs").map { "\($0)" }.joined())
        }
        #expect(!dump.contains(number))
        let log = try String(contentsOfFile: settings.databasePath + "-wal", encoding: .isoLatin1)
        #expect(!log.contains(number), "not even in the write-ahead log")
    }

    @Test func aDoctorSignsUpLinkedToAHospitalByItsCode() async throws {
        try await TestNode.withRouter(demo: true) { client in
            let body = try await client.signUp("/api/v1/auth/signup/doctor", TestAccounts.doctor(1, hospitalCode: "hc-b2631d"))
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["role"] as? String == "DOCTOR" && user["hospital_code"] as? String == "HC-B2631D")
            #expect(user["license_number"] as? String == "MCI-10001-2015" && user["name"] as? String == "Dr. Sarah Smith 1")
            #expect(UUID(uuidString: user["doctor_id"] as? String ?? "") != nil && user["hospital_id"] is String)

            let unknown = try await client.post("/api/v1/auth/signup/doctor", TestAccounts.doctor(2, hospitalCode: "HC-ZZZZZZ"))
            try expectError(unknown, .unprocessableContent, code: "validation_error")
            #expect(try object(unknown)["detail"] as? String == "Invalid input: hospital_code no hospital has the code HC-ZZZZZZ")

            var sameLicence = TestAccounts.doctor(3)
            sameLicence["medical_license_no"] = "mci-10001-2015"
            try expectError(try await client.post("/api/v1/auth/signup/doctor", sameLicence), .conflict, code: "conflict")
            #expect(try await client.post("/api/v1/auth/signup/doctor", TestAccounts.doctor(4)).status == .created, "no hospital code: unlinked")
        }
    }
}

/// Two nodes cut off from each other both register one email, or one Aadhaar number: when they
/// meet, the earlier registration owns the account and the patient record at both.
@Suite struct ConcurrentSignUpTests {
    func node(_ start: Date) throws -> (ReplicatedStore, PatientRepository) {
        let clock = ManualClock(start)
        let store = try ReplicatedStore.inMemory(schema: DomainTables.schema, migrations: DomainTables.registerMigrations, nodeID: NodeID(UUID()), clock: clock)
        return (store, PatientRepository(store: store, clock: clock, audit: AuditTrail(store: store, clock: clock)))
    }

    func registration(_ email: String) throws -> PatientRegistration {
        var form = PatientRegistrationForm()
        (form.email, form.password, form.aadharNumber) = (email, "SecurePass123!", TestAccounts.aadhaar(5))
        (form.firstName, form.lastName, form.dateOfBirth, form.gender, form.phonePrimary) = ("Asha", email, "1990-01-15", "FEMALE", "+919800000000")
        return try PatientRegistration(validating: form, today: CalendarDate("2026-11-23")!)
    }

    @Test func theEarlierRegistrationOwnsTheAccountAndTheRecordEverywhere() async throws {
        let (a, patientsA) = try node(Date(timeIntervalSince1970: 1_800_000_000))
        let (b, patientsB) = try node(Date(timeIntervalSince1970: 1_800_000_060))
        let protector = AadhaarProtector(secret: try DeploymentSecret(TestNode.secret))
        func aadhar(_ registration: PatientRegistration) throws -> (String, String) {
            (protector.uid(of: registration.aadhaar), try protector.seal(registration.aadhaar))
        }
        // The real patient at A; a minute later, at B, someone else with the same number…
        let real = try registration("asha@example.com"), late = try registration("impostor@example.com")
        let (owner, record) = try await patientsA.register(real, passwordHash: "hash-a", aadhar: try aadhar(real), clientAddress: nil)
        _ = try await patientsB.register(late, passwordHash: "hash-b", aadhar: try aadhar(late), clientAddress: nil)
        // …and the same email with another password.
        _ = try await AccountRepository(store: b, clock: SystemClock()).createSystemAdmin(
            SystemAdminRegistration(validating: SystemAdminForm(email: "asha@example.com", password: "Attacker123!")), passwordHash: "hash-x",
            clientAddress: nil
        )
        try await a.apply(try await b.changes(since: 0, limit: 10_000))
        try await b.apply(try await a.changes(since: 0, limit: 10_000))

        for (store, patients) in [(a, patientsA), (b, patientsB)] {
            let merged = try #require(try await patients.patient(id: record.id))
            #expect(merged.userID == owner.id && merged.lastName == "asha@example.com", "the first registration, whole")
            #expect(try await patients.patient(userID: owner.id)?.id == record.id)
            let account = try #require(try await AccountRepository(store: store, clock: SystemClock()).user(id: owner.id))
            #expect(account.passwordHash == "hash-a" && account.role == .patient)
        }
        #expect(try await a.digest().combined == b.digest().combined)
    }

    /// One email, two different people (two Aadhaar numbers) at cut-off nodes: the account is the
    /// first registration's, linked to its record only; the second record is nobody's account.
    @Test func anAccountIsLinkedOnlyToTheRecordItsFirstRegistrationMade() async throws {
        let (a, patientsA) = try node(Date(timeIntervalSince1970: 1_800_000_000))
        let (b, patientsB) = try node(Date(timeIntervalSince1970: 1_800_000_060))
        let protector = AadhaarProtector(secret: try DeploymentSecret(TestNode.secret))
        let first = try registration("family@example.com")
        var form = PatientRegistrationForm()
        (form.email, form.password, form.aadharNumber) = ("family@example.com", "SecurePass123!", TestAccounts.aadhaar(6))
        (form.firstName, form.lastName, form.dateOfBirth, form.gender, form.phonePrimary) = ("Ravi", "R", "1988-03-02", "MALE", "+919800000001")
        let second = try PatientRegistration(validating: form, today: CalendarDate("2026-11-23")!)
        let (owner, record) = try await patientsA.register(
            first, passwordHash: "h1", aadhar: (protector.uid(of: first.aadhaar), try protector.seal(first.aadhaar)), clientAddress: nil
        )
        let (_, other) = try await patientsB.register(
            second, passwordHash: "h2", aadhar: (protector.uid(of: second.aadhaar), try protector.seal(second.aadhaar)), clientAddress: nil
        )
        try await a.apply(try await b.changes(since: 0, limit: 10_000))
        try await b.apply(try await a.changes(since: 0, limit: 10_000))
        for (store, patients) in [(a, patientsA), (b, patientsB)] {
            #expect(try await patients.patient(userID: owner.id)?.id == record.id)
            #expect(try await AccountRepository(store: store, clock: SystemClock()).principal(userID: owner.id)?.patientID == record.id)
            #expect(try await patients.patient(id: other.id) != nil, "kept, for an administrator to sort out")
        }
    }
}

@Suite struct DocAssistAuthTests {
    nonisolated(unsafe) static let register: [String: Any] = [
        "email": "doctor@example.com", "password": "securepassword", "name": "Dr. John Doe", "phone": "+919876543210", "license_number": "MH-12345",
    ]

    @Test func registerAndLoginAtTheRootAndUnderTheAPI() async throws {
        try await TestNode.withRouter { client in
            let created = try await client.post("/auth/register", Self.register)
            #expect(created.status == .created)
            let body = try object(created)
            #expect(body["token_type"] as? String == "bearer" && body["expires_in"] as? Int == 1800 && body["access_token"] is String)
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["email"] as? String == "doctor@example.com" && user["name"] as? String == "Dr. John Doe" && user["role"] as? String == "DOCTOR")
            #expect(user["phone"] as? String == "+919876543210" && user["license_number"] as? String == "MH-12345")

            let duplicate = try await client.post("/api/v1/auth/register", Self.register)
            try expectError(duplicate, .badRequest, code: "email_registered")
            #expect(try object(duplicate)["detail"] as? String == "Email already registered")
            var short = Self.register
            short["email"] = "other@example.com"
            short["password"] = "1234567"
            try expectError(try await client.post("/auth/register", short), .unprocessableContent, code: "validation_error")

            for path in ["/auth/login", "/api/v1/auth/login"] {
                let login = try await client.post(path, ["email": "doctor@example.com", "password": "securepassword"])
                #expect(login.status == .ok)
                let login_ = try object(login)
                #expect(Set(login_.keys) == ["access_token", "refresh_token", "token_type", "expires_in", "user"])
                #expect((login_["user"] as? [String: Any])?["name"] as? String == "Dr. John Doe")
            }
            try expectError(try await client.post("/auth/login", ["email": "doctor@example.com", "password": "wrong-password"]), .unauthorized, code: "invalid_credentials")
        }
    }
}

@Suite struct SessionTests {
    @Test func logoutRevokesTheWholeFamilyAndIsIdempotent() async throws {
        try await TestNode.withRouter { client in
            let signup = try await client.signUp("/api/v1/auth/signup/patient", TestAccounts.patient(1))
            let first = try #require(signup["refresh_token"] as? String)
            let rotated = try object(try await client.post("/api/v1/auth/refresh", ["refresh_token": first]))
            let current = try #require(rotated["refresh_token"] as? String)
            let other = try #require(try object(try await client.post("/api/v1/auth/login", ["email": "patient1@example.com", "password": "SecurePass123!"]))["refresh_token"] as? String)

            #expect(try await client.post("/api/v1/auth/logout", ["refresh_token": first]).status == .noContent, "an old member names the family too")
            try expectError(try await client.post("/api/v1/auth/refresh", ["refresh_token": current]), .unauthorized, code: "invalid_refresh_token")
            #expect(try await client.post("/api/v1/auth/refresh", ["refresh_token": other]).status == .ok, "another login's session lives on")
            #expect(try await client.post("/api/v1/auth/logout", ["refresh_token": current]).status == .noContent)
            #expect(try await client.post("/api/v1/auth/logout", ["refresh_token": "garbage"]).status == .noContent)
            try expectError(try await client.post("/api/v1/auth/logout", [:] as [String: String]), .unprocessableContent, code: "validation_error")
        }
    }

    /// A logout at A while B was cut off ends the tokens B rotated meanwhile, once they meet.
    @Test func aLogoutAtOneNodeEndsTokensRotatedMeanwhileAtAnother() async throws {
        let secret = try DeploymentSecret(TestNode.secret)
        let (a, b) = (try TestNode.scratchStore(), try TestNode.scratchStore())
        let tokensA = await TokenService(secret: secret, store: a, clock: SystemClock())
        let tokensB = await TokenService(secret: secret, store: b, clock: SystemClock())
        let user = User(id: User.ID(UUID()), email: EmailAddress("p@example.com")!, passwordHash: "h", role: .patient, createdAt: Date())
        let first = try await tokensA.issue(for: user).refreshToken
        try await b.apply(try await a.changes(since: 0, limit: 1000))

        let (atB, _) = try await tokensB.rotate(first) { _ in user }
        #expect(try await tokensA.revoke(first) == user.id)
        try await a.apply(try await b.changes(since: 0, limit: 1000))
        try await b.apply(try await a.changes(since: 0, limit: 1000))
        for tokens in [tokensA, tokensB] {
            await #expect(throws: APIError.self) { _ = try await tokens.rotate(atB.refreshToken) { _ in user } }
        }
    }

    @Test func loginIsRateLimitedPerAccountAndPerAddress() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await TestNode.withRouter(demo: true, clock: clock, configure: {
            $0.loginLimitPerAccount = RateLimit(requests: 3, per: 60)
            $0.loginLimitPerAddress = RateLimit(requests: 5, per: 60)
        }) { client in
            // Correct logins do not use up an account's allowance; failed ones do.
            #expect(try await client.post("/api/v1/auth/login", ["email": "hospital1@gmail.com", "password": "passme@123"]).status == .ok)
            let wrong = ["email": "hospital1@gmail.com", "password": "not-the-password"]
            for _ in 0..<3 { try expectError(try await client.post("/api/v1/auth/login", wrong), .unauthorized, code: "invalid_credentials") }
            let limited = try await client.post("/auth/login", ["email": "Hospital1@Gmail.com", "password": "passme@123"])
            try expectError(limited, .tooManyRequests, code: "rate_limited")
            #expect(limited.headers[.retryAfter] == "20")
            // The address has made 5 attempts: its own limit refuses the next, whatever the account.
            try expectError(try await client.post("/api/v1/auth/login", ["email": "hospital2@gmail.com", "password": "passme@123"]), .tooManyRequests, code: "rate_limited")
            clock.advance(by: 60)
            #expect(try await client.post("/api/v1/auth/login", ["email": "hospital1@gmail.com", "password": "passme@123"]).status == .ok)
            #expect(try await client.post("/api/v1/auth/login", ["email": "hospital2@gmail.com", "password": "passme@123"]).status == .ok)
        }
    }
}

@Suite struct RateLimiterTests {
    @Test func forgetsClientsWhoseBucketsRefilled() {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let limiter = RateLimiter(RateLimit(requests: 2, per: 60), clock: clock)
        for client in 0..<1000 { #expect(limiter.take("address:\(client)") == nil) }
        #expect(limiter.take("address:0") == nil && limiter.take("address:0") != nil)
        limiter.refund("address:0")
        #expect(limiter.take("address:0") == nil && limiter.take("address:0") != nil, "a refund gives one request back")
        #expect(limiter.trackedKeys == 1000)
        clock.advance(by: 120)
        #expect(limiter.take("address:1") == nil)
        #expect(limiter.trackedKeys == 1, "only the client just seen is kept")
    }
}

@Suite struct TokenBucketTests {
    @Test func refillsAtTheLimitsRateAndSaysHowLongToWait() {
        let limit = RateLimit(requests: 2, per: 60)
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(limit: limit, now: start)
        #expect(bucket.take(limit, now: start) == nil)
        #expect(bucket.take(limit, now: start) == nil)
        #expect(bucket.take(limit, now: start) == 30)
        #expect(bucket.take(limit, now: start.addingTimeInterval(10)) == 20)
        #expect(bucket.take(limit, now: start.addingTimeInterval(30)) == nil)
        #expect(!bucket.isFull(limit, now: start.addingTimeInterval(30)))
        #expect(bucket.isFull(limit, now: start.addingTimeInterval(90)))
    }
}
