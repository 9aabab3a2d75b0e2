import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import EdgeNode

@Suite struct CareRoutesTests {
    @Test func aDoctorChoosesTheirHospitalsWithOnePrimary() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let path = "/api/v1/doctors/\(cast.doctor.id)/hospitals", apollo = cast.hospitalAdmin.hospital, manipal = cast.otherHospital
            let initial = try array(try await client.get(path, token: cast.patient.token))
            #expect(initial.map { $0["hospital_code"] as? String } == ["HC-B2631D"] && initial.first?["is_primary"] as? Bool == true)

            let both = try array(try await client.post(path, ["hospital_ids": [apollo, manipal], "primary_hospital_id": manipal], token: cast.doctor.token))
            #expect(both.map { $0["hospital_code"] as? String } == ["HC-L9MLES", "HC-B2631D"])
            #expect(both.map { $0["is_primary"] as? Bool } == [true, false])
            try expectError(try await client.post(path, ["hospital_ids": [apollo, manipal]], token: cast.doctor.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post(path, ["hospital_ids": [UUID().uuidString]], token: cast.doctor.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post(path, ["hospital_ids": [manipal]], token: cast.otherDoctor.token), .forbidden, code: "forbidden")

            // Declared, not yet approved: no care rights at Manipal, and listed there as pending.
            #expect(both.map { $0["is_approved"] as? Bool } == [false, true])
            let admitAtManipal = "/api/v1/hospitals/\(manipal)/admit"
            try expectError(try await client.post(admitAtManipal, ["patient_id": cast.patient.id, "condition": "Fever"], token: cast.doctor.token), .forbidden, code: "forbidden")
            let manipalAdmin = try await client.accessToken("hospital2@gmail.com")
            let pending = try array(try await client.get("/api/v1/hospitals/\(manipal)/doctors/pending", token: manipalAdmin))
            #expect(pending.map { $0["id"] as? String } == [cast.doctor.id])
            try expectError(try await client.post("/api/v1/hospitals/\(manipal)/doctors/\(cast.doctor.id)/approve", [:] as [String: String], token: cast.hospitalAdmin.token), .forbidden, code: "forbidden")
            #expect(try await client.post("/api/v1/hospitals/\(manipal)/doctors/\(cast.doctor.id)/approve", [:] as [String: String], token: manipalAdmin).status == .noContent)
            #expect(try await client.post(admitAtManipal, ["patient_id": cast.patient.id, "condition": "Fever"], token: cast.doctor.token).status == .created)

            #expect(try array(try await client.post(path, ["hospital_ids": [manipal]], token: cast.doctor.token)).count == 1)
            let atApollo = try array(try await client.get("/api/v1/hospitals/\(apollo)/doctors", token: cast.patient.token))
            let atManipal = try array(try await client.get("/api/v1/hospitals/\(manipal)/doctors", token: cast.patient.token))
            #expect(!atApollo.contains { $0["id"] as? String == cast.doctor.id })
            #expect(Set(atManipal.compactMap { $0["id"] as? String }) == [cast.doctor.id, cast.otherDoctor.id])
            #expect(atManipal.allSatisfy { $0["phone_primary"] == nil })
            let profile = try object(try await client.get("/api/v1/hospitals/\(manipal)/profile", token: cast.doctor.token))
            #expect(profile["hospital_code"] as? String == "HC-L9MLES" && profile["name"] as? String == "Manipal Hospital Whitefield")
        }
    }

    @Test func admissionsDischargesAndTheDashboardComputedFromThem() async throws {
        try await TestNode.withRouter(demo: true, role: .hub) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let apollo = "/api/v1/hospitals/\(cast.hospitalAdmin.hospital)", admin = cast.hospitalAdmin.token
            #expect(try await client.put("\(apollo)/resources", HospitalResourcesRoutesTests.resources, token: admin).status == .ok)
            let admit: [String: Any] = [
                "patient_id": cast.patient.id, "doctor_id": cast.doctor.id, "condition": "Chest pain", "severity": "CRITICAL", "department": "Cardiology",
            ]
            let admitted = try await client.post("\(apollo)/admit", admit, token: admin)
            #expect(admitted.status == .created)
            #expect(try object(admitted)["status"] as? String == "ADMITTED" && object(admitted)["patient_name"] as? String == "Patient Number 1")
            try expectError(try await client.post("\(apollo)/admit", admit, token: cast.doctor.token), .conflict, code: "conflict")
            try expectError(try await client.post("\(apollo)/admit", admit, token: cast.otherDoctor.token), .forbidden, code: "forbidden")
            var strangerDoctor = admit
            (strangerDoctor["patient_id"], strangerDoctor["doctor_id"]) = (cast.otherPatient.id, cast.otherDoctor.id)
            try expectError(try await client.post("\(apollo)/admit", strangerDoctor, token: admin), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post("\(apollo)/admit", ["patient_id": UUID().uuidString, "condition": "x"], token: admin), .notFound, code: "not_found")
            try expectError(try await client.post("\(apollo)/admit", ["patient_id": cast.otherPatient.id, "condition": "x", "severity": "BAD"], token: admin), .unprocessableContent, code: "validation_error")

            let listed = try array(try await client.get("\(apollo)/patients", token: cast.doctor.token))
            #expect(listed.map { $0["patient_id"] as? String } == [cast.patient.id] && listed.first?["condition"] as? String == "Chest pain")
            let forAdmin = try array(try await client.get("\(apollo)/patients", token: admin))
            #expect(forAdmin.first?["patient_name"] as? String == "Patient Number 1" && forAdmin.first?["condition"] == nil, "no clinical details for admins")
            let dashboard = try object(try await client.get("\(apollo)/dashboard", token: cast.systemAdmin))
            let resources = HospitalResourcesRoutesTests.resources
            #expect(dashboard["total_beds"] as? Int == resources["total_beds"] as? Int && dashboard["occupied_beds"] as? Int == 1)
            #expect(dashboard["available_beds"] as? Int == (resources["total_beds"] as! Int) - 1)
            #expect(dashboard["critical_patients"] as? Int == 1 && dashboard["emergency_cases"] as? Int == 1)
            #expect(dashboard["total_doctors"] as? Int == 1 && dashboard["active_doctors"] as? Int == 1)

            let discharge = "\(apollo)/patients/\(cast.patient.id)/discharge"
            let done = try object(try await client.post(discharge, ["summary": "Stable, ECG normal", "follow_up": "Cardiology in 2 weeks"], token: admin))
            #expect(done["status"] as? String == "DISCHARGED" && done["discharge_summary"] as? String == "Stable, ECG normal")
            try expectError(try await client.post(discharge, [:] as [String: String], token: admin), .notFound, code: "not_found")
            #expect(try array(try await client.get("\(apollo)/patients", token: admin)).isEmpty)
            #expect(try array(try await client.get("\(apollo)/patients?status_filter=DISCHARGED", token: admin)).count == 1)
            #expect(try object(try await client.get("\(apollo)/dashboard", token: admin))["occupied_beds"] as? Int == 0)
            // Admitted again, discharged with no body at all.
            #expect(try await client.post("\(apollo)/admit", ["patient_id": cast.patient.id, "condition": "Review"], token: admin).status == .created)
            #expect(try await client.execute(uri: discharge, method: .post, headers: [.authorization: "Bearer \(admin)"]).status == .ok)

            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))["entries"] as? [[String: Any]] ?? []
            #expect(log.filter { $0["object_type"] as? String == "admission" && $0["actor_role"] as? String == "HOSPITAL_ADMIN" }.count >= 4)
        }
    }

    @Test func breakGlassOpensReadOnlyAccessForTwoHoursAndIsReviewed() async throws {
        let clock = ManualClock(Date())
        try await TestNode.withRouter(demo: true, role: .hub, clock: clock) { client in
            let cast = try await TestAccounts.Cast.make(client)
            let doctor = cast.otherDoctor, profile = "/api/v1/patients/\(cast.patient.id)/profile"
            let breakGlass = "/api/v1/patients/\(cast.patient.id)/break-glass"
            try expectError(try await client.get(profile, token: doctor.token), .forbidden, code: "forbidden")
            try expectError(try await client.post(breakGlass, ["reason": "urgent"], token: doctor.token), .unprocessableContent, code: "validation_error")
            try expectError(try await client.post(breakGlass, ["reason": "Unconscious in ER, allergy check"], token: cast.patient.token), .forbidden, code: "forbidden")
            let opened = try await client.post(breakGlass, ["reason": "Unconscious in ER, allergy check"], token: doctor.token)
            #expect(try opened.status == .created && object(opened)["is_open"] as? Bool == true)
            #expect(try await client.get(profile, token: doctor.token).status == .ok)
            try expectError(try await client.post(profile, ["weight_kg": 70], token: doctor.token), .forbidden, code: "forbidden")

            let log = try object(try await client.get("/api/v1/patients/\(cast.patient.id)/access-log", token: cast.patient.token))["entries"] as? [[String: Any]] ?? []
            #expect(log.contains { $0["object_type"] as? String == "break_glass" && $0["actor_role"] as? String == "DOCTOR" })
            #expect(log.contains { $0["object_type"] as? String == "patient_profile" && $0["actor_id"] != nil && $0["actor_role"] as? String == "DOCTOR" })
            let manipalAdmin = try await client.accessToken("hospital2@gmail.com")
            let review = try array(try await client.get("/api/v1/hospitals/\(cast.otherHospital)/break-glass", token: manipalAdmin))
            #expect(review.map { $0["reason"] as? String } == ["Unconscious in ER, allergy check"])
            #expect(try array(try await client.get("/api/v1/hospitals/\(cast.hospitalAdmin.hospital)/break-glass", token: cast.hospitalAdmin.token)).isEmpty)
            // Moving to another hospital afterwards does not take the opening off Manipal's list.
            let moved = try await client.post("/api/v1/doctors/\(doctor.id)/hospitals", ["hospital_ids": [cast.hospitalAdmin.hospital]], token: doctor.token)
            #expect(moved.status == .ok)
            #expect(try array(try await client.get("/api/v1/hospitals/\(cast.otherHospital)/break-glass", token: manipalAdmin)).count == 1)
            #expect(try array(try await client.get("/api/v1/break-glass", token: cast.systemAdmin)).count == 1)
            try expectError(try await client.get("/api/v1/hospitals/\(cast.otherHospital)/break-glass", token: cast.hospitalAdmin.token), .forbidden, code: "forbidden")

            clock.advance(by: 2 * 60 * 60)
            let fresh = try await client.accessToken("doctor2@example.com", "SecurePass123!")  // the old token expired too
            try expectError(try await client.get(profile, token: fresh), .forbidden, code: "forbidden")
        }
    }
}
