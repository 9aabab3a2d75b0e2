import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import Replication
import Testing
@testable import EdgeNode

/// Valid sign-up bodies and the accounts of every role, for the identity and authorization tests.
enum TestAccounts {
    /// A valid Aadhaar number, different for each `index`.
    static func aadhaar(_ index: Int) -> String {
        let body = "2" + String(format: "%010d", index)
        return body + String(Verhoeff.checkDigit(for: body.compactMap(\.wholeNumberValue)))
    }

    static func patient(_ index: Int, email: String? = nil) -> [String: Any] {
        [
            "email": email ?? "patient\(index)@example.com", "password": "SecurePass123!", "aadhar_number": aadhaar(index),
            "first_name": "Patient", "last_name": "Number \(index)", "date_of_birth": "1990-01-15", "gender": "FEMALE",
            "blood_group": "O_POSITIVE", "phone_primary": "+919876543210", "emergency_contact_name": "Jane Doe",
            "emergency_contact_phone": "+919876543211", "emergency_contact_relation": "Spouse", "city": "Mumbai",
        ]
    }

    static func doctor(_ index: Int, hospitalCode: String? = nil) -> [String: Any] {
        var body: [String: Any] = [
            "email": "doctor\(index)@example.com", "password": "SecurePass123!", "medical_license_no": "MCI-\(10_000 + index)-2015",
            "first_name": "Dr. Sarah", "last_name": "Smith \(index)", "specialization": "Cardiology", "phone_primary": "+919123456789",
            "qualifications": ["MBBS", "MD"], "experience_years": 10, "consultation_fee": 1500.0,
        ]
        body["hospital_code"] = hospitalCode
        return body
    }

    static let operatorHeaders: HTTPFields = HubAndAdminRoutesTests.operatorToken + [.contentType: "application/json"]

    /// One account of every role on a demo hub — two patients, two doctors (of Apollo and of
    /// Manipal, approved there), the admins of Apollo and Manipal, a SYSTEM_ADMIN — with their tokens and objects,
    /// and two consents: the first doctor's for the first patient (approved), the second doctor's
    /// for the second patient (pending).
    struct Cast: Sendable {
        let patient: (token: String, id: String)
        let otherPatient: (token: String, id: String)
        let doctor: (token: String, id: String)
        let otherDoctor: (token: String, id: String)
        let hospitalAdmin: (token: String, hospital: String)
        let otherHospital: String
        let systemAdmin: String
        let consent: String
        let otherConsent: String

        static func make(_ client: any TestClientProtocol) async throws -> Cast {
            func user(_ body: [String: Any], _ key: String) throws -> String { try #require((body["user"] as? [String: Any])?[key] as? String) }
            func account(_ body: [String: Any], _ key: String) throws -> (token: String, id: String) {
                (try #require(body["access_token"] as? String), try user(body, key))
            }
            let patient = try account(try await client.signUp("/api/v1/auth/signup/patient", TestAccounts.patient(1)), "patient_id")
            let other = try account(try await client.signUp("/api/v1/auth/signup/patient", TestAccounts.patient(2)), "patient_id")
            let doctor = try account(try await client.signUp("/api/v1/auth/signup/doctor", TestAccounts.doctor(1, hospitalCode: "HC-B2631D")), "doctor_id")
            let otherDoctor = try account(try await client.signUp("/api/v1/auth/signup/doctor", TestAccounts.doctor(2, hospitalCode: "HC-L9MLES")), "doctor_id")
            let created = try await client.execute(
                uri: "/admin/v1/system-admins", method: .post, headers: operatorHeaders,
                body: json(["email": "ops@cloudcare.example", "password": "OpsPass123!"])
            )
            #expect(created.status == .created)
            let apollo = try object(try await client.post("/api/v1/auth/login", ["email": "hospital1@gmail.com", "password": "passme@123"]))
            let manipal = try object(try await client.post("/api/v1/auth/login", ["email": "hospital2@gmail.com", "password": "passme@123"]))
            for (admin, doctor) in [(apollo, doctor), (manipal, otherDoctor)] {
                let approve = "/api/v1/hospitals/\(try user(admin, "hospital_id"))/doctors/\(doctor.id)/approve"
                #expect(try await client.post(approve, [:] as [String: String], token: admin["access_token"] as? String).status == .noContent)
            }
            let consent = try await client.requestConsent(doctor: doctor.token, patient: patient.id)
            #expect(try await client.patch("/api/v1/consents/\(consent)", ["status": "APPROVED"], token: patient.token).status == .ok)
            return Cast(
                patient: patient, otherPatient: other, doctor: doctor, otherDoctor: otherDoctor,
                hospitalAdmin: (try #require(apollo["access_token"] as? String), try user(apollo, "hospital_id")),
                otherHospital: try user(manipal, "hospital_id"),
                systemAdmin: try await client.accessToken("ops@cloudcare.example", "OpsPass123!"),
                consent: consent, otherConsent: try await client.requestConsent(doctor: otherDoctor.token, patient: other.id)
            )
        }
    }
}

extension TestClientProtocol {
    /// A doctor asks a patient for access; returns the consent id.
    func requestConsent(doctor token: String, patient: String, description: String = "Cardiac consultation") async throws -> String {
        let response = try await post("/api/v1/consents/request", ["patient_id": patient, "description": description], token: token)
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(try object(response)["id"] as? String)
    }

    func patch(_ uri: String, _ body: Any, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .patch, headers: headers, body: json(body))
    }

    /// Posts a sign-up, expects 201, returns the response object.
    func signUp(_ uri: String, _ body: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await post(uri, body)
        #expect(response.status == .created, "\(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try object(response)
    }
}
