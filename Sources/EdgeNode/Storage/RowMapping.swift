import Domain
import Foundation
import GRDB
import Replication

/// Reading domain entities back from their table rows (and the column groups they share).
enum RowMapping {
    static func user(_ row: Row) -> User? {
        guard let id = User.ID(row["id"] as String), let email = EmailAddress(row["email"]),
              let role = UserRole(rawValue: row["role"]) else { return nil }
        return User(
            id: id, email: email, passwordHash: row["password_hash"], role: role, isActive: row["is_active"],
            hospitalID: (row["hospital_id"] as String?).flatMap(Hospital.ID.init),
            patientID: (row["patient_id"] as String?).flatMap(Patient.ID.init),
            doctorID: (row["doctor_id"] as String?).flatMap(Doctor.ID.init),
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

extension RowMapping {
    static func auditEntry(_ row: Row) -> AuditEntry? {
        guard let id = AuditEntry.ID(row["id"] as String), let action = AuditAction(rawValue: row["action"]),
              let occurredAt = Timestamps.parse(row["occurred_at"]) else { return nil }
        return AuditEntry(
            id: id, actorID: (row["actor_id"] as String?).flatMap(User.ID.init),
            actorRole: (row["actor_role"] as String?).flatMap(UserRole.init), action: action,
            objectType: row["object_type"], objectID: row["object_id"],
            patientID: (row["patient_id"] as String?).flatMap(Patient.ID.init),
            hospitalID: (row["hospital_id"] as String?).flatMap(Hospital.ID.init),
            occurredAt: occurredAt, clientAddress: row["client_address"], nodeID: row["node_id"]
        )
    }

    static func patient(_ row: Row) -> Patient? {
        guard let id = Patient.ID(row["id"] as String), let userID = User.ID(row["user_id"] as String),
              let birth = CalendarDate(row["date_of_birth"]), let gender = Gender(rawValue: row["gender"]) else { return nil }
        let contactName: String? = row["emergency_contact_name"], contactPhone: String? = row["emergency_contact_phone"]
        return Patient(
            id: id, userID: userID, aadharUID: row["aadhar_uid"], firstName: row["first_name"], lastName: row["last_name"],
            dateOfBirth: birth, gender: gender, bloodGroup: (row["blood_group"] as String?).flatMap(BloodGroup.init),
            phonePrimary: row["phone_primary"],
            emergencyContact: contactName.flatMap { name in
                contactPhone.map { EmergencyContact(name: name, phone: $0, relation: row["emergency_contact_relation"]) }
            },
            address: address(row), createdAt: Timestamps.parse(row["created_at"]) ?? .distantPast
        )
    }

    static func doctor(_ row: Row) -> Doctor? {
        guard let id = Doctor.ID(row["id"] as String), let userID = User.ID(row["user_id"] as String) else { return nil }
        let qualifications = (row["qualifications"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        return Doctor(
            id: id, userID: userID, firstName: row["first_name"], lastName: row["last_name"],
            licenseNumber: (row["medical_license_no"] as String?).flatMap(MedicalLicense.init),
            specialization: row["specialization"], phonePrimary: row["phone_primary"],
            hospitalID: (row["hospital_id"] as String?).flatMap(Hospital.ID.init), qualifications: qualifications ?? [],
            experienceYears: row["experience_years"], consultationFee: row["consultation_fee"],
            address: address(row), createdAt: Timestamps.parse(row["created_at"]) ?? .distantPast
        )
    }

    private static func address(_ row: Row) -> ContactAddress {
        ContactAddress(line1: row["address_line1"], city: row["city"], state: row["state"], postalCode: row["postal_code"], country: row["country"])
    }
}

extension RowMapping {
    /// The address columns of a patient or doctor row.
    static func values(of address: ContactAddress) -> [String: SQLValue] {
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        return [
            "address_line1": text(address.line1), "city": text(address.city), "state": text(address.state),
            "postal_code": text(address.postalCode), "country": text(address.country),
        ]
    }
}

extension RowMapping {
    static func consent(_ row: Row) -> Consent? {
        guard let id = Consent.ID(row["id"] as String), let patient = Patient.ID(row["patient_id"] as String),
              let doctor = Doctor.ID(row["doctor_id"] as String), let status = ConsentStatus(rawValue: row["status"]) else { return nil }
        return Consent(
            id: id, patientID: patient, doctorID: doctor, facilityName: row["facility_name"], requestType: row["request_type"],
            description: row["description"], status: status, requestedAt: Timestamps.parse(row["requested_at"]) ?? .distantPast,
            decidedAt: (row["decided_at"] as String?).flatMap(Timestamps.parse), expiresAt: (row["expires_at"] as String?).flatMap(Timestamps.parse)
        )
    }

    static func medicalProfile(_ row: Row?) -> MedicalProfile {
        var profile = MedicalProfile()
        guard let row else { return profile }
        func list(_ column: String) -> [String] {
            (row[column] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        }
        profile.allergies = list("allergies")
        profile.chronicConditions = list("chronic_conditions")
        profile.currentMedications = list("current_medications")
        profile.insuranceProvider = row["insurance_provider"]
        profile.insurancePolicyNo = row["insurance_policy_no"]
        profile.weightKg = row["weight_kg"]
        profile.heightCm = row["height_cm"]
        return profile
    }
}

extension RowMapping {
    static func admission(_ row: Row) -> Admission? {
        guard let id = Admission.ID(row["id"] as String), let hospital = Hospital.ID(row["hospital_id"] as String),
              let patient = Patient.ID(row["patient_id"] as String), let severity = Admission.Severity(rawValue: row["severity"]),
              let status = Admission.Status(rawValue: row["status"]) else { return nil }
        return Admission(
            id: id, hospitalID: hospital, patientID: patient, doctorID: (row["doctor_id"] as String?).flatMap(Doctor.ID.init),
            condition: row["condition"], severity: severity, department: row["department"], status: status,
            admittedAt: Timestamps.parse(row["admitted_at"]) ?? .distantPast,
            dischargedAt: (row["discharged_at"] as String?).flatMap(Timestamps.parse),
            dischargeSummary: row["discharge_summary"], followUp: row["follow_up"]
        )
    }

    static func emergencyAccess(_ row: Row) -> EmergencyAccess? {
        guard let id = EmergencyAccess.ID(row["id"] as String), let patient = Patient.ID(row["patient_id"] as String),
              let doctor = Doctor.ID(row["doctor_id"] as String), let opened = Timestamps.parse(row["opened_at"]),
              let expires = Timestamps.parse(row["expires_at"]) else { return nil }
        return EmergencyAccess(id: id, patientID: patient, doctorID: doctor, reason: row["reason"], openedAt: opened, expiresAt: expires)
    }
}

extension RowMapping {
    static func medicalRecord(_ row: Row) -> MedicalRecord? {
        guard let id = MedicalRecord.ID(row["id"] as String), let patient = Patient.ID(row["patient_id"] as String),
              let type = MedicalRecord.RecordType(rawValue: row["record_type"]), let date = CalendarDate(row["record_date"]),
              let uploader = User.ID(row["uploaded_by"] as String) else { return nil }
        return MedicalRecord(
            id: id, patientID: patient, title: row["title"], recordType: type, recordDate: date, fileName: row["file_name"],
            contentType: row["content_type"], sizeBytes: row["size_bytes"], sha256: row["sha256"], uploadedBy: uploader,
            uploadedAt: Timestamps.parse(row["uploaded_at"]) ?? .distantPast
        )
    }

    static func backup(_ row: Row) -> Backup? {
        guard let id = Backup.ID(row["id"] as String), let owner = User.ID(row["owner_id"] as String) else { return nil }
        return Backup(
            id: id, ownerID: owner, fileName: row["file_name"], sizeBytes: row["size_bytes"], sha256: row["sha256"], deviceID: row["device_id"],
            deviceName: row["device_name"], createdAt: Timestamps.parse(row["created_at"]) ?? .distantPast
        )
    }

    static func wearableDevice(_ row: Row) -> WearableDevice? {
        guard let id = WearableDevice.ID(row["id"] as String), let patient = Patient.ID(row["patient_id"] as String) else { return nil }
        return WearableDevice(
            id: id, patientID: patient, externalID: row["external_id"], name: row["name"], type: row["device_type"],
            registeredAt: Timestamps.parse(row["registered_at"]) ?? .distantPast
        )
    }

    static func devicePairing(_ row: Row) -> DevicePairing? {
        guard let id = DevicePairing.ID(row["id"] as String), let patient = Patient.ID(row["patient_id"] as String) else { return nil }
        return DevicePairing(
            id: id, patientID: patient, iosUserID: row["ios_user_id"], iosDeviceID: row["ios_device_id"], androidUserID: row["android_user_id"],
            deviceName: row["device_name"], deviceType: row["device_type"], pairedAt: Timestamps.parse(row["paired_at"]) ?? .distantPast,
            isActive: row["is_active"]
        )
    }

    /// A list of strings as stored: a JSON array in a TEXT column.
    static func jsonList(_ values: [String]) -> SQLValue {
        .text(String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self))
    }
}
