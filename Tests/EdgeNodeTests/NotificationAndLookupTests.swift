import Domain
import Foundation
import HummingbirdTesting
import Testing
@testable import EdgeNode

@Suite struct NotificationAndLookupTests {
    @Test func doctorsAndPatientsAreToldWhatConcernsThem() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let apollo = "/api/v1/hospitals/\(cast.hospitalAdmin.hospital)"
            let admit: [String: Any] = ["patient_id": cast.patient.id, "doctor_id": cast.doctor.id, "condition": "Sepsis", "severity": "CRITICAL"]
            #expect(try await client.post("\(apollo)/admit", admit, token: cast.hospitalAdmin.token).status == .created)
            #expect(try await client.post("/api/v1/patients/\(cast.patient.id)/break-glass", ["reason": "Collapsed in the lobby"], token: cast.otherDoctor.token).status == .created)
            _ = try await client.requestConsent(doctor: cast.otherDoctor.token, patient: cast.patient.id)

            let forDoctor = try array(try await client.get("/api/v1/doctors/\(cast.doctor.id)/notifications", token: cast.doctor.token))
            #expect(forDoctor.map { $0["kind"] as? String } == ["CRITICAL_ALERT", "CONSENT_APPROVED"])
            #expect((forDoctor.first?["message"] as? String)?.contains("Patient Number 1 admitted: Sepsis") == true)
            let forPatient = try array(try await client.get("/api/v1/patients/\(cast.patient.id)/notifications", token: cast.patient.token))
            #expect(forPatient.map { $0["kind"] as? String } == ["CONSENT_REQUESTED", "BREAK_GLASS", "CRITICAL_ALERT"])
            #expect((forPatient[1]["message"] as? String)?.contains("Collapsed in the lobby") == true)
            try expectError(try await client.get("/api/v1/doctors/\(cast.doctor.id)/notifications", token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.get("/api/v1/patients/\(cast.patient.id)/notifications", token: cast.otherPatient.token), .forbidden, code: "forbidden")
        }
    }

    @Test func recordLookupsAreForOnesOwnUIDOrAConsentedPatient() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let uid = try #require(try object(try await client.get("/api/v1/auth/me", token: cast.patient.token))["aadhar_uid"] as? String)
            let otherUID = try #require(try object(try await client.get("/api/v1/auth/me", token: cast.otherPatient.token))["aadhar_uid"] as? String)
            let body = ["aadhar_uid": uid, "facility_name": "Rural PHC Kolar"]
            let mine = try await client.post("/api/v1/patients/lookup-records", body, token: cast.patient.token)
            #expect(mine.status == .created)
            #expect(try object(mine)["patient_id"] as? String == cast.patient.id && object(mine)["status"] as? String == "PENDING")
            #expect(try await client.post("/api/v1/patients/lookup-records", body, token: cast.doctor.token).status == .created, "consented doctor")
            let notMine = ["aadhar_uid": otherUID, "facility_name": "Rural PHC Kolar"]
            try expectError(try await client.post("/api/v1/patients/lookup-records", notMine, token: cast.patient.token), .forbidden, code: "forbidden")
            try expectError(try await client.post("/api/v1/patients/lookup-records", notMine, token: cast.doctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.post("/api/v1/patients/lookup-records", ["aadhar_uid": "123", "facility_name": "X"], token: cast.patient.token), .unprocessableContent, code: "validation_error")
            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))["entries"] as? [[String: Any]] ?? []
            #expect(log.filter { $0["object_type"] as? String == "record_lookup" }.map { $0["actor_role"] as? String } == ["DOCTOR", "PATIENT"])
        }
    }
}
