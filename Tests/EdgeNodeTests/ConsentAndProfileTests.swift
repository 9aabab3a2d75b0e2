import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import Replication
import Testing
@testable import EdgeNode

@Suite struct ConsentRoutesTests {
    @Test func aDoctorSeesAPatientOnlyWhileTheirApprovedConsentIsInForce() async throws {
        let clock = ManualClock(Date())
        try await TestNode.withRouter(demo: true, role: .hub, clock: clock) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let patient = cast.otherPatient, doctor = cast.otherDoctor, consent = cast.otherConsent
            let profile = "/api/v1/patients/\(patient.id)/profile"
            try expectError(try await client.get(profile, token: doctor.token), .forbidden, code: "forbidden")

            // Only the patient decides; a doctor cannot approve its own request.
            try expectError(try await client.patch("/api/v1/consents/\(consent)", ["status": "APPROVED"], token: doctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.patch("/api/v1/consents/\(consent)", ["status": "APPROVED"], token: cast.patient.token), .notFound, code: "not_found")
            let soon = Timestamps.api(clock.now().addingTimeInterval(3600))
            let approved = try await client.patch("/api/v1/consents/\(consent)", ["status": "APPROVED", "expires_at": soon], token: patient.token)
            #expect(approved.status == .ok)
            #expect(try object(approved)["status"] as? String == "APPROVED" && object(approved)["is_active"] as? Bool == true)
            #expect(try await client.get(profile, token: doctor.token).status == .ok)
            #expect(try object(try await client.get("/api/v1/consents/\(consent)/can-revoke", token: doctor.token))["can_revoke"] as? Bool == true)

            // Access ends at expiry, with no write; an expired consent may then be deleted.
            // (The hour also outlives the access tokens: both sign in again.)
            clock.advance(by: 3601)
            try expectError(try await client.get(profile, token: doctor.token), .unauthorized, code: "invalid_token")
            let doctorToken = try await client.accessToken("doctor2@example.com", "SecurePass123!")
            let patientToken = try await client.accessToken("patient2@example.com", "SecurePass123!")
            try expectError(try await client.get(profile, token: doctorToken), .forbidden, code: "forbidden")
            #expect(try object(try await client.get("/api/v1/consents/\(consent)/can-revoke", token: patientToken))["can_revoke"] as? Bool == false)
            #expect(try await client.execute(uri: "/api/v1/consents/\(consent)", method: .delete, headers: [.authorization: "Bearer \(patientToken)"]).status == .noContent)
            try expectError(try await client.get("/api/v1/consents/\(consent)/can-revoke", token: patientToken), .notFound, code: "not_found")
        }
    }

    @Test func statusOnlyMovesUpAndARevokedConsentIsFinal() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let path = "/api/v1/consents/\(cast.consent)", token = cast.patient.token
            #expect(try await client.patch(path, ["status": "APPROVED"], token: token).status == .ok, "again: unchanged")
            try expectError(try await client.patch(path, ["status": "DENIED"], token: token), .conflict, code: "conflict")
            try expectError(try await client.patch(path, ["status": "PENDING"], token: token), .conflict, code: "conflict")
            try expectError(try await client.execute(uri: path, method: .delete, headers: [.authorization: "Bearer \(token)"]), .conflict, code: "conflict")
            #expect(try object(try await client.patch(path, ["status": "REVOKED"], token: token))["status"] as? String == "REVOKED")
            try expectError(try await client.get("/api/v1/patients/\(cast.patient.id)/profile", token: cast.doctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.patch(path, ["status": "APPROVED"], token: token), .conflict, code: "conflict")
            // The doctor asks again: a new consent.
            let again = try await client.requestConsent(doctor: cast.doctor.token, patient: cast.patient.id)
            #expect(again != cast.consent)
            try expectError(try await client.post("/api/v1/consents/request", ["patient_id": cast.patient.id], token: cast.doctor.token), .conflict, code: "conflict")

            // Bad decisions are 422 and change nothing.
            for body: [String: Any] in [["status": "MAYBE"], [:], ["status": "APPROVED", "expires_at": "2001-01-01T00:00:00Z"], ["status": "DENIED", "expires_at": "2099-01-01T00:00:00Z"]] {
                try expectError(try await client.patch("/api/v1/consents/\(again)", body, token: token), .unprocessableContent, code: "validation_error")
            }
            let pending = try array(try await client.get("/api/v1/consents/patient/\(cast.patient.id)?status_filter=PENDING", token: token))
            #expect(pending.map { $0["id"] as? String } == [again])
            #expect(try object(try await client.patch("/api/v1/consents/\(again)", ["status": "DENIED"], token: token))["status"] as? String == "DENIED")
            #expect(try await client.execute(uri: "/api/v1/consents/\(again)", method: .delete, headers: [.authorization: "Bearer \(token)"]).status == .noContent)
            try expectError(try await client.get("/api/v1/consents/patient/\(cast.patient.id)?status_filter=maybe", token: token), .unprocessableContent, code: "validation_error")
        }
    }

    @Test func requestsAreForExistingPatientsByTheRequestingDoctorOnly() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            try expectError(try await client.post("/api/v1/consents/request", ["patient_id": UUID().uuidString], token: cast.doctor.token), .notFound, code: "not_found")
            try expectError(
                try await client.post("/api/v1/consents/request", ["patient_id": cast.otherPatient.id, "doctor_id": cast.otherDoctor.id], token: cast.doctor.token),
                .forbidden, code: "forbidden"
            )
            let created = try await client.post("/api/v1/consents/request", [
                "patient_id": cast.otherPatient.id, "doctor_id": cast.doctor.id, "facility_name": "City Hospital",
                "request_type": "full_access", "description": "Request access for cardiac consultation",
            ], token: cast.doctor.token)
            #expect(created.status == .created)
            let body = try object(created)
            #expect(body["status"] as? String == "PENDING" && body["facility_name"] as? String == "City Hospital" && body["requested_at"] is String)
            // The patient lists all their consents; each doctor only the ones naming them.
            #expect(try array(try await client.get("/api/v1/consents/patient/\(cast.otherPatient.id)", token: cast.otherPatient.token)).count == 2)
            #expect(try array(try await client.get("/api/v1/consents/patient/\(cast.otherPatient.id)", token: cast.doctor.token)).count == 1)
        }
    }

    @Test func cleanupIsForDemoNodesOnly() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let response = try await client.execute(uri: "/api/v1/consents/cleanup/all", method: .delete, headers: [.authorization: "Bearer \(cast.systemAdmin)"])
            #expect(try object(response)["deleted"] as? Int == 2)
            try expectError(try await client.get("/api/v1/patients/\(cast.patient.id)/profile", token: cast.doctor.token), .forbidden, code: "forbidden")
        }
        try await TestNode.withRouter { client in
            try expectError(try await client.execute(uri: "/api/v1/consents/cleanup/all", method: .delete), .notFound, code: "not_found")
        }
    }
}

@Suite struct PatientProfileAndDoctorRoutesTests {
    @Test func thePatientKeepsTheMedicalProfileAndTheConsentedDoctorReadsIt() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let path = "/api/v1/patients/\(cast.patient.id)/profile"
            let initial = try object(try await client.get(path, token: cast.patient.token))
            #expect(initial["first_name"] as? String == "Patient" && initial["email"] as? String == "patient1@example.com")
            #expect(initial["age"] as? Int == CalendarDate("1990-01-15")!.years(until: CalendarDate(Date())))
            #expect(initial["allergies"] as? [String] == [] && initial["gender"] as? String == "FEMALE")

            let updated = try object(try await client.post(path, ["weight_kg": 75.5, "allergies": ["Penicillin", " Pollen "]], token: cast.patient.token))
            #expect(updated["allergies"] as? [String] == ["Penicillin", "Pollen"] && updated["weight_kg"] as? Double == 75.5)
            let again = try object(try await client.post(path, ["current_medications": ["Lisinopril 10mg"], "insurance_provider": "Star Health"], token: cast.patient.token))
            #expect(again["allergies"] as? [String] == ["Penicillin", "Pollen"], "fields not sent stay")
            #expect(again["current_medications"] as? [String] == ["Lisinopril 10mg"] && again["insurance_provider"] as? String == "Star Health")

            try expectError(try await client.post(path, [:] as [String: String], token: cast.patient.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post(path, ["weight_kg": -3, "allergies": [""]], token: cast.patient.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post(path, ["weight_kg": 80], token: cast.doctor.token), .forbidden, code: "forbidden")

            let seen = try object(try await client.get(path, token: cast.doctor.token))
            #expect(seen["current_medications"] as? [String] == ["Lisinopril 10mg"])
            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))["entries"] as? [[String: Any]] ?? []
            #expect(log.contains { $0["actor_role"] as? String == "DOCTOR" && $0["action"] as? String == "READ" && $0["object_type"] as? String == "patient_profile" })
            #expect(log.filter { $0["action"] as? String == "UPDATE" && $0["object_type"] as? String == "patient_profile" }.count == 2)
        }
    }

    @Test func aDoctorsPatientsComeFromConsentsAndLockedOnesShowTheNameOnly() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            _ = try await client.requestConsent(doctor: cast.doctor.token, patient: cast.otherPatient.id)
            let list = try array(try await client.get("/api/v1/doctors/\(cast.doctor.id)/patients", token: cast.doctor.token))
            let active = try #require(list.first { $0["patient_id"] as? String == cast.patient.id })
            let locked = try #require(list.first { $0["patient_id"] as? String == cast.otherPatient.id })
            #expect(active["status"] as? String == "ACTIVE" && active["blood_group"] as? String == "O_POSITIVE" && active["age"] is Int)
            #expect(active["condition"] as? String == "Cardiac consultation" && active["phone"] as? String == "+919876543210")
            #expect(locked["status"] as? String == "LOCKED" && locked["patient_name"] as? String == "Patient Number 2")
            #expect(locked["age"] == nil && locked["phone"] == nil && locked["blood_group"] == nil)
            try expectError(try await client.get("/api/v1/doctors/\(cast.otherDoctor.id)/patients", token: cast.doctor.token), .forbidden, code: "forbidden")

            // Admitted, the patient's status follows the severity, with the admission's condition.
            let apollo = "/api/v1/hospitals/\(cast.hospitalAdmin.hospital)"
            #expect(try await client.post("\(apollo)/admit", ["patient_id": cast.patient.id, "condition": "Chest pain", "severity": "HIGH"],
                                          token: cast.hospitalAdmin.token).status == .created)
            let admitted = try array(try await client.get("/api/v1/doctors/\(cast.doctor.id)/patients", token: cast.doctor.token))
                .first { $0["patient_id"] as? String == cast.patient.id }
            #expect(admitted?["status"] as? String == "MONITORING" && admitted?["condition"] as? String == "Chest pain" && admitted?["emergency_flag"] as? Bool == true)
            #expect(admitted?["next_appointment"] == nil)

            // Giving the patient up revokes: locked, and no profile any more.
            let give = "/api/v1/doctors/\(cast.doctor.id)/patients/\(cast.patient.id)"
            #expect(try await client.execute(uri: give, method: .delete, headers: [.authorization: "Bearer \(cast.doctor.token)"]).status == .noContent)
            let after = try array(try await client.get("/api/v1/doctors/\(cast.doctor.id)/patients", token: cast.doctor.token))
            #expect(after.first { $0["patient_id"] as? String == cast.patient.id }?["status"] as? String == "LOCKED")
            try expectError(try await client.get("/api/v1/patients/\(cast.patient.id)/profile", token: cast.doctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.execute(uri: give, method: .delete, headers: [.authorization: "Bearer \(cast.doctor.token)"]), .notFound, code: "not_found")
        }
    }

    @Test func aDoctorsProfileShowsContactDetailsToThemOnly() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let own = try object(try await client.get("/api/v1/doctors/\(cast.doctor.id)/profile", token: cast.doctor.token))
            #expect(own["hospital_code"] as? String == "HC-B2631D" && own["phone_primary"] as? String == "+919123456789")
            #expect(own["qualifications"] as? [String] == ["MBBS", "MD"] && own["medical_license_no"] as? String == "MCI-10001-2015")
            let seen = try object(try await client.get("/api/v1/doctors/\(cast.doctor.id)/profile", token: cast.patient.token))
            #expect(seen["specialization"] as? String == "Cardiology" && seen["phone_primary"] == nil)
            try expectError(try await client.get("/api/v1/doctors/\(UUID().uuidString)/profile", token: cast.patient.token), .notFound, code: "not_found")
        }
    }
}
