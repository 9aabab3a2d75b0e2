import Domain
import Foundation
import GRDB

/// Reading domain entities back from their table rows.
enum RowMapping {
    static func user(_ row: Row) -> User? {
        guard let id = User.ID(row["id"] as String), let email = EmailAddress(row["email"]),
              let role = UserRole(rawValue: row["role"]) else { return nil }
        return User(
            id: id, email: email, passwordHash: row["password_hash"], role: role, isActive: row["is_active"],
            hospitalID: (row["hospital_id"] as String?).flatMap(Hospital.ID.init),
            createdAt: Timestamps.parse(row["created_at"]) ?? .distantPast
        )
    }

    static func hospital(_ row: Row) -> Hospital? {
        guard let id = Hospital.ID(row["id"] as String), let code = HospitalCode(row["hospital_code"]),
              let email = EmailAddress(row["email"]) else { return nil }
        return Hospital(
            id: id, code: code, name: row["name"], email: email,
            facilityType: FacilityType(rawValue: row["facility_type"]) ?? .multiSpecialtyHospital,
            phonePrimary: row["phone_primary"], phoneEmergency: row["phone_emergency"],
            address: PostalAddress(
                line1: row["address_line1"], city: row["city"], state: row["state"],
                postalCode: row["postal_code"], country: row["country"]
            ),
            capacity: HospitalCapacity(
                totalBeds: row["total_beds"], icuBeds: row["icu_beds"],
                emergencyBeds: row["emergency_beds"], operationTheatres: row["operation_theatres"]
            ),
            services: HospitalServices(
                emergency: row["has_emergency"], ambulance: row["has_ambulance"], pharmacy: row["has_pharmacy"],
                lab: row["has_lab"], bloodBank: row["has_blood_bank"]
            ),
            isActive: row["is_active"], createdAt: Timestamps.parse(row["created_at"]) ?? .distantPast
        )
    }
}
