import Foundation
import HummingbirdTesting
import Testing
@testable import EdgeNode

/// Clinical writes at two nodes, partitioned and healed.
@Suite struct ClinicalConvergenceTests {
    struct People {
        let patient: (token: String, id: String)
        let doctor: (token: String, id: String)
        let consent: String
    }

    /// A patient and a doctor signed up at A, the doctor's request made there, all known at B.
    func setUp(_ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws -> People {
        let patient = try await a.signUp("/api/v1/auth/signup/patient", TestAccounts.patient(1))
        let doctor = try await a.signUp("/api/v1/auth/signup/doctor", TestAccounts.doctor(1, hospitalCode: "HC-B2631D"))
        func account(_ body: [String: Any], _ key: String) throws -> (String, String) {
            (try #require(body["access_token"] as? String), try #require((body["user"] as? [String: Any])?[key] as? String))
        }
        let people = People(patient: try account(patient, "patient_id"), doctor: try account(doctor, "doctor_id"), consent: "")
        let consent = try await a.requestConsent(doctor: people.doctor.token, patient: people.patient.id)
        try await NodePair.sync(from: a, to: b)
        return People(patient: people.patient, doctor: people.doctor, consent: consent)
    }

    @Test func approvedAtOneNodeRevokedAtTheOtherWhilePartitionedMeansNoAccessAnywhere() async throws {
        try await NodePair.with { a, b in
            let people = try await setUp(a, b)
            let profile = "/api/v1/patients/\(people.patient.id)/profile"
            // Partitioned: the patient approves at A (the doctor reads there), and revokes at B.
            #expect(try await a.patch("/api/v1/consents/\(people.consent)", ["status": "APPROVED"], token: people.patient.token).status == .ok)
            #expect(try await a.get(profile, token: people.doctor.token).status == .ok)
            #expect(try await b.patch("/api/v1/consents/\(people.consent)", ["status": "REVOKED"], token: people.patient.token).status == .ok)
            try await NodePair.heal(a, b)
            for node in [a, b] {
                try expectError(try await node.get(profile, token: people.doctor.token), .forbidden, code: "forbidden")
                let consents = try array(try await node.get("/api/v1/consents/patient/\(people.patient.id)", token: people.patient.token))
                #expect(consents.map { $0["status"] as? String } == ["REVOKED"])
            }
            try await NodePair.heal(a, b)  // the reads just made were audited at each node
            #expect(try await NodePair.digest(a) == NodePair.digest(b))
        }
    }

    @Test func concurrentEditsOfDifferentProfileFieldsBothSurvive() async throws {
        try await NodePair.with { a, b in
            let people = try await setUp(a, b)
            let profile = "/api/v1/patients/\(people.patient.id)/profile", token = people.patient.token
            #expect(try await a.post(profile, ["allergies": ["Penicillin"]], token: token).status == .ok)
            #expect(try await b.post(profile, ["weight_kg": 61.5, "insurance_provider": "Star Health"], token: token).status == .ok)
            try await NodePair.heal(a, b)
            for node in [a, b] {
                let merged = try object(try await node.get(profile, token: token))
                #expect(merged["allergies"] as? [String] == ["Penicillin"])
                #expect(merged["weight_kg"] as? Double == 61.5 && merged["insurance_provider"] as? String == "Star Health")
            }
            try await NodePair.heal(a, b)  // the reads just made were audited at each node
            #expect(try await NodePair.digest(a) == NodePair.digest(b))
        }
    }

    /// Each kind of clinical write made at A — consent decision, profile edit, admission, resource
    /// update, document upload — is visible at B after one sync, and the replicas end equal.
    @Test func everyKindOfClinicalWriteAtOneNodeIsVisibleAtTheOther() async throws {
        try await NodePair.with { a, b in
            let people = try await setUp(a, b)
            let patient = people.patient
            let login = try object(try await a.post("/api/v1/auth/login", ["email": "hospital1@gmail.com", "password": "passme@123"]))
            let admin = try #require(login["access_token"] as? String)
            let hospital = "/api/v1/hospitals/\(try #require((login["user"] as? [String: Any])?["hospital_id"] as? String))"
            #expect(try await a.patch("/api/v1/consents/\(people.consent)", ["status": "APPROVED"], token: patient.token).status == .ok)
            #expect(try await a.post("/api/v1/patients/\(patient.id)/profile", ["weight_kg": 58.5], token: patient.token).status == .ok)
            #expect(try await a.post("\(hospital)/admit", ["patient_id": patient.id, "condition": "Dengue", "severity": "CRITICAL"], token: admin).status == .created)
            #expect(try await a.put("\(hospital)/resources", HospitalResourcesRoutesTests.resources, token: admin).status == .ok)
            let fields = [("patient_id", patient.id), ("title", "Platelet count"), ("record_type", "LAB_REPORT"), ("date", "2025-11-20")]
            let upload = try await DocumentRoutesTests.upload(a, DocumentRoutesTests.multipart(fields, file: [1, 2, 3]), token: patient.token)
            #expect(upload.status == .created)

            try await NodePair.sync(from: a, to: b)
            let profile = try object(try await b.get("/api/v1/patients/\(patient.id)/profile", token: people.doctor.token))
            #expect(profile["weight_kg"] as? Double == 58.5, "the doctor reads at B under the consent approved at A")
            let admitted = try array(try await b.get("\(hospital)/patients", token: admin))
            #expect(admitted.map { $0["patient_id"] as? String } == [patient.id] && admitted.first?["severity"] as? String == "CRITICAL")
            let resources = try object(try await b.get("\(hospital)/resources", token: admin))
            #expect(resources["total_beds"] as? Int == 500 && resources["ventilators"] as? Int == 50)
            let documents = try array(try await b.get("/api/v1/documents/\(patient.id)", token: people.doctor.token))
            #expect(documents.map { $0["title"] as? String } == ["Platelet count"])
            try await NodePair.heal(a, b)  // the reads just made were audited at B
            #expect(try await NodePair.digest(a) == NodePair.digest(b))
        }
    }

    /// Samples and a device registered at A: B shows the same complete view (rollups are derived
    /// from the replicated samples, at B as at A).
    @Test func wearableDataIngestedAtOneNodeShowsTheSameAtTheOther() async throws {
        try await NodePair.with { a, b in
            let people = try await setUp(a, b)
            let patient = people.patient
            #expect(try await a.patch("/api/v1/consents/\(people.consent)", ["status": "APPROVED"], token: patient.token).status == .ok)
            #expect(try await a.post("/api/v1/wearables/devices", ["patient_id": patient.id, "name": "Apple Watch", "type": "apple_watch", "device_id": "w-1"],
                                     token: patient.token).status == .created)
            // `comprehensive` answers are kept while the patient's rollups are unchanged: an ingest
            // at A, and a merge at B, each make the next answer new.
            func totalMetrics(_ node: any TestClientProtocol) async throws -> Int? {
                let body = try object(try await node.get("/api/v1/wearables/metrics/comprehensive?patient_id=\(patient.id)", token: patient.token))
                return (body["device_info"] as? [String: Any])?["total_metrics"] as? Int
            }
            let (emptyAtA, emptyAtB) = (try await totalMetrics(a), try await totalMetrics(b))
            #expect(emptyAtA == 0 && emptyAtB == 0)
            #expect(try await a.post("/api/v1/wearables/import/apple-health", WearableRoutesTests.export(), token: patient.token).status == .ok)
            #expect(try await totalMetrics(a) == 3)
            try await NodePair.sync(from: a, to: b)
            #expect(try await totalMetrics(b) == 3)
            let another = ["patient_id": patient.id, "metrics": [["metric_type": "heart_rate", "value": 64, "timestamp": "2025-11-12T10:00:00Z"]]] as [String: Any]
            #expect(try await a.post("/api/v1/wearables/sync", another, token: patient.token).status == .ok)
            #expect(try await totalMetrics(a) == 4)
            try await NodePair.sync(from: a, to: b)
            #expect(try await totalMetrics(b) == 4)
            let complete = "/api/v1/patients/\(patient.id)/complete"
            let atA = try object(try await a.get(complete, token: people.doctor.token))
            let atB = try object(try await b.get(complete, token: people.doctor.token))
            let info = atB["device_info"] as? [String: Any]
            #expect(info?["total_metrics"] as? Int == 4 && (atB["devices"] as? [[String: Any]])?.count == 1)
            #expect(try JSONSerialization.data(withJSONObject: atA, options: .sortedKeys) == JSONSerialization.data(withJSONObject: atB, options: .sortedKeys))
        }
    }

    /// A doctor edits different profile fields at two nodes, each the profile's first edit there:
    /// both edits survive at both (the profile row is created by upsert).
    @Test func aDoctorsFirstProfileEditsAtTwoNodesBothSurvive() async throws {
        try await NodePair.with { a, b in
            let people = try await setUp(a, b)
            let profile = "/api/v1/doctors/\(people.doctor.id)/profile", token = people.doctor.token
            #expect(try await a.post(profile, ["specialization": "Interventional Cardiology"], token: token).status == .ok)
            #expect(try await b.post(profile, ["consultation_fee": 800, "city": "Mysuru"], token: token).status == .ok)
            try await NodePair.heal(a, b)
            for node in [a, b] {
                let merged = try object(try await node.get(profile, token: token))
                #expect(merged["specialization"] as? String == "Interventional Cardiology" && merged["consultation_fee"] as? Double == 800)
                #expect(merged["city"] as? String == "Mysuru" && merged["first_name"] as? String == "Dr. Sarah", "the sign-up record stays beneath")
            }
            try expectError(try await a.post(profile, [:] as [String: String], token: token), .unprocessableContent, code: "validation_error")
            try expectError(try await a.post(profile, ["specialization": "x"], token: people.patient.token), .forbidden, code: "forbidden")
            try await NodePair.heal(a, b)
            #expect(try await NodePair.digest(a) == NodePair.digest(b))
        }
    }

    @Test func aConsentDecisionAtOneNodeGovernsAccessAtTheOther() async throws {
        try await NodePair.with { a, b in
            let people = try await setUp(a, b)
            let profile = "/api/v1/patients/\(people.patient.id)/profile"
            try expectError(try await b.get(profile, token: people.doctor.token), .forbidden, code: "forbidden")
            #expect(try await a.patch("/api/v1/consents/\(people.consent)", ["status": "APPROVED"], token: people.patient.token).status == .ok)
            try await NodePair.sync(from: a, to: b)
            #expect(try await b.get(profile, token: people.doctor.token).status == .ok)
        }
    }
}
