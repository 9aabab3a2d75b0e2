import Domain

/// The named schemas of the OpenAPI document (`components/schemas`): request forms and the
/// main response shapes, spelled as the API sends them.
enum APISchemas {
    static func named(_ name: String) -> JSONSchema { .reference(name) }

    private static let address: [(String, JSONSchema)] = [
        ("address_line1", .string), ("city", .string), ("state", .string), ("postal_code", .string), ("country", .string),
    ]

    private static let medicalProfile: [(String, JSONSchema)] = [
        ("allergies", .array(.string)), ("chronic_conditions", .array(.string)), ("current_medications", .array(.string)),
        ("insurance_provider", .string), ("insurance_policy_no", .string), ("weight_kg", .number), ("height_cm", .number),
    ]

    static let components: [(String, JSONSchema)] = [
        ("Error", .object([
            ("detail", .string), ("code", .string),
            ("fields", .array(.object([("field", .string), ("message", .string)]))),
        ], required: ["detail", "code"])),
        ("Account", .object([
            ("id", .formatted("uuid")), ("email", .formatted("email")), ("role", .oneOf(UserRole.allCases.map(\.rawValue))),
            ("is_active", .boolean), ("name", .string), ("created_at", .formatted("date-time")),
            ("hospital_id", .formatted("uuid")), ("hospital_code", .string), ("patient_id", .formatted("uuid")),
            ("aadhar_uid", .string), ("doctor_id", .formatted("uuid")), ("phone", .string), ("license_number", .string),
        ], required: ["id", "email", "role", "is_active", "created_at"])),
        ("AuthResponse", .object([
            ("access_token", .string), ("refresh_token", .string), ("token_type", .oneOf(["bearer"])),
            ("expires_in", .integer), ("user", named("Account")),
        ], required: ["access_token", "refresh_token", "token_type", "expires_in", "user"])),
        ("Login", .object([("email", .formatted("email")), ("password", .string)], required: ["email", "password"])),
        ("RefreshToken", .object([("refresh_token", .string)], required: ["refresh_token"])),
        ("PatientSignup", .object([
            ("email", .formatted("email")), ("password", .string), ("aadhar_number", .string), ("first_name", .string),
            ("last_name", .string), ("date_of_birth", .formatted("date")), ("gender", .oneOf(Gender.allCases.map(\.rawValue))),
            ("blood_group", .oneOf(BloodGroup.allCases.map(\.rawValue))), ("phone_primary", .string),
            ("emergency_contact_name", .string), ("emergency_contact_phone", .string), ("emergency_contact_relation", .string),
        ] + address, required: ["email", "password", "aadhar_number", "first_name", "last_name", "date_of_birth", "gender", "phone_primary"])),
        ("DoctorSignup", .object([
            ("email", .formatted("email")), ("password", .string), ("medical_license_no", .string), ("first_name", .string),
            ("last_name", .string), ("specialization", .string), ("phone_primary", .string), ("hospital_code", .string),
            ("qualifications", .array(.string)), ("experience_years", .integer), ("consultation_fee", .number),
        ] + address, required: ["email", "password", "medical_license_no", "first_name", "last_name", "phone_primary"])),
        ("HospitalSignup", .object([
            ("email", .formatted("email")), ("password", .string), ("name", .string), ("phone_primary", .string),
            ("phone_emergency", .string), ("facility_type", .oneOf(FacilityType.allCases.map(\.rawValue))),
            ("total_beds", .integer), ("icu_beds", .integer), ("emergency_beds", .integer), ("operation_theatres", .integer),
            ("has_emergency", .boolean), ("has_ambulance", .boolean), ("has_pharmacy", .boolean), ("has_lab", .boolean),
            ("has_blood_bank", .boolean),
        ] + address, required: ["email", "password", "name", "phone_primary", "address_line1", "city", "state", "postal_code"])),
        ("DocAssistRegister", .object([
            ("email", .formatted("email")), ("password", .string), ("name", .string), ("phone", .string), ("license_number", .string),
        ], required: ["email", "password", "name"])),
        ("SystemAdmin", .object([("email", .formatted("email")), ("password", .string)], required: ["email", "password"])),
        ("HospitalSummary", .object([
            ("id", .formatted("uuid")), ("name", .string), ("hospital_code", .string), ("city", .string), ("state", .string),
            ("facility_type", .string),
        ])),
        ("HospitalResources", .object([
            ("total_beds", .integer), ("available_beds", .integer), ("oxygen_cylinders", .integer), ("ventilators", .integer),
            ("ambulances", .integer), ("blood_bags", .integer),
        ])),
        ("AuditEntry", .object([
            ("id", .formatted("uuid")), ("actor_id", .nullable(.formatted("uuid"))), ("actor_role", .nullable(.string)),
            ("action", .oneOf(AuditAction.allCases.map(\.rawValue))), ("object_type", .string), ("object_id", .nullable(.string)),
            ("patient_id", .nullable(.formatted("uuid"))), ("hospital_id", .nullable(.formatted("uuid"))),
            ("occurred_at", .formatted("date-time")), ("client_address", .nullable(.string)), ("node_id", .formatted("uuid")),
        ])),
        ("PatientProfile", .object([
            ("id", .formatted("uuid")), ("first_name", .string), ("last_name", .string), ("date_of_birth", .formatted("date")),
            ("age", .integer), ("gender", .oneOf(Gender.allCases.map(\.rawValue))), ("blood_group", .nullable(.string)),
            ("phone_primary", .string), ("email", .formatted("email")),
            ("emergency_contact_name", .nullable(.string)), ("emergency_contact_phone", .nullable(.string)),
            ("emergency_contact_relation", .nullable(.string)),
        ] + address + medicalProfile)),
        ("MedicalProfileUpdate", .object(medicalProfile)),
        ("ConsentRequest", .object([
            ("patient_id", .formatted("uuid")), ("doctor_id", .formatted("uuid")), ("facility_name", .string),
            ("request_type", .string), ("description", .string),
        ], required: ["patient_id"])),
        ("ConsentDecision", .object([
            ("status", .oneOf(["APPROVED", "DENIED", "REVOKED"])), ("expires_at", .formatted("date-time")),
        ], required: ["status"])),
        ("Consent", .object([
            ("id", .formatted("uuid")), ("patient_id", .formatted("uuid")), ("doctor_id", .formatted("uuid")),
            ("facility_name", .nullable(.string)), ("request_type", .string), ("description", .nullable(.string)),
            ("status", .oneOf(ConsentStatus.allCases.map(\.rawValue))), ("is_active", .boolean),
            ("requested_at", .formatted("date-time")), ("decided_at", .nullable(.formatted("date-time"))),
            ("expires_at", .nullable(.formatted("date-time"))),
        ])),
        ("DoctorProfile", .object([
            ("id", .formatted("uuid")), ("first_name", .string), ("last_name", .string), ("specialization", .nullable(.string)),
            ("medical_license_no", .nullable(.string)), ("qualifications", .array(.string)), ("experience_years", .nullable(.integer)),
            ("consultation_fee", .nullable(.number)), ("hospital_id", .nullable(.formatted("uuid"))), ("hospital_name", .nullable(.string)),
            ("hospital_code", .nullable(.string)), ("phone_primary", .nullable(.string)), ("city", .nullable(.string)),
        ])),
        ("DoctorPatient", .object([
            ("patient_id", .formatted("uuid")), ("patient_name", .string), ("status", .oneOf(DoctorPatientStatus.allCases.map(\.rawValue))),
            ("age", .nullable(.integer)), ("gender", .nullable(.string)), ("blood_group", .nullable(.string)),
            ("phone", .nullable(.string)), ("condition", .nullable(.string)), ("next_appointment", .nullable(.formatted("date-time"))),
            ("emergency_flag", .boolean),
        ])),
        ("AdmissionRequest", .object([
            ("patient_id", .formatted("uuid")), ("doctor_id", .formatted("uuid")), ("condition", .string),
            ("severity", .oneOf(Admission.Severity.allCases.map(\.rawValue))), ("department", .string),
        ], required: ["patient_id", "condition"])),
        ("Admission", .object([
            ("id", .formatted("uuid")), ("hospital_id", .formatted("uuid")), ("patient_id", .formatted("uuid")), ("patient_name", .string),
            ("doctor_id", .nullable(.formatted("uuid"))), ("condition", .nullable(.string)), ("severity", .oneOf(Admission.Severity.allCases.map(\.rawValue))),
            ("department", .nullable(.string)), ("status", .oneOf(Admission.Status.allCases.map(\.rawValue))),
            ("admitted_at", .formatted("date-time")), ("discharged_at", .nullable(.formatted("date-time"))),
            ("discharge_summary", .nullable(.string)), ("follow_up", .nullable(.string)),
        ])),
        ("HospitalDashboard", .object([
            ("total_beds", .integer), ("occupied_beds", .integer), ("available_beds", .integer), ("icu_beds", .integer),
            ("emergency_cases", .integer), ("critical_patients", .integer), ("total_doctors", .integer), ("active_doctors", .integer),
        ])),
        ("HospitalProfile", .object([
            ("id", .formatted("uuid")), ("hospital_code", .string), ("name", .string), ("facility_type", .string), ("email", .formatted("email")),
            ("phone_primary", .string), ("phone_emergency", .nullable(.string)), ("total_beds", .integer), ("icu_beds", .integer),
            ("emergency_beds", .integer), ("operation_theatres", .integer), ("has_emergency", .boolean), ("has_ambulance", .boolean),
            ("has_pharmacy", .boolean), ("has_lab", .boolean), ("has_blood_bank", .boolean),
        ] + address)),
        ("DoctorHospital", .object([
            ("hospital_id", .formatted("uuid")), ("hospital_name", .string), ("hospital_code", .string), ("is_primary", .boolean),
            ("is_approved", .boolean), ("joined_at", .formatted("date-time")),
        ])),
        ("DoctorHospitalsUpdate", .object([
            ("hospital_ids", .array(.formatted("uuid"))), ("primary_hospital_id", .formatted("uuid")),
        ], required: ["hospital_ids"])),
        ("EmergencyAccess", .object([
            ("id", .formatted("uuid")), ("patient_id", .formatted("uuid")), ("doctor_id", .formatted("uuid")), ("reason", .string),
            ("opened_at", .formatted("date-time")), ("expires_at", .formatted("date-time")), ("is_open", .boolean),
        ])),
        ("Notification", .object([
            ("id", .string), ("kind", .oneOf(Domain.Notification.Kind.allCases.map(\.rawValue))), ("patient_id", .formatted("uuid")),
            ("message", .string), ("at", .formatted("date-time")),
        ])),
        ("MedicalRecord", .object([
            ("id", .formatted("uuid")), ("patient_id", .formatted("uuid")), ("title", .string),
            ("record_type", .oneOf(MedicalRecord.RecordType.allCases.map(\.rawValue))), ("date", .formatted("date")), ("file_name", .string),
            ("content_type", .string), ("size_bytes", .integer), ("checksum", .string), ("uploaded_by", .formatted("uuid")),
            ("uploaded_at", .formatted("date-time")),
        ])),
        ("AuditPage", .object([("entries", .array(named("AuditEntry"))), ("next_before", .nullable(.formatted("uuid")))])),
        ("IngestReport", .object([
            ("patient_id", .formatted("uuid")), ("received", .integer), ("accepted", .integer), ("duplicates", .integer), ("rejected", .integer),
            ("unknown_types", .array(.object([("type", .string), ("count", .integer)]))),
            ("rejections", .array(.object([("index", .integer), ("reason", .string)]))),
        ])),
        ("PatientOverview", .object([
            ("profile", named("PatientProfile")), ("current_admissions", .array(named("Admission"))), ("devices", .array(named("WearableDevice"))),
            ("records", .object([
                ("total", .integer), ("by_type", .array(.object([("record_type", .oneOf(MedicalRecord.RecordType.allCases.map(\.rawValue))), ("count", .integer)]))),
                ("latest", .array(named("MedicalRecord"))),
            ])),
            ("latest_vitals", .array(.object([("metric_type", .string), ("value", .number), ("unit", .string), ("measured_at", .formatted("date-time"))]))),
            ("device_info", .object([("last_sync", .nullable(.formatted("date-time"))), ("total_metrics", .integer)])),
        ])),
        ("HealthSample", .object([
            ("metric_type", .string), ("value", .number), ("unit", .string), ("timestamp", .formatted("date-time")),
            ("end_timestamp", .formatted("date-time")), ("device", .string), ("source", .nullable(.string)),
        ])),
        ("MetricSummary", .object([
            ("steps", .object([("total", .number), ("change", .nullable(.string))])),
            ("calories", .object([("total", .number), ("change", .nullable(.string))])),
            ("heart_rate", .object([("avg", .nullable(.number)), ("min", .nullable(.number)), ("max", .nullable(.number)), ("change", .nullable(.string))])),
            ("distance", .object([("total", .number), ("unit", .string)])),
            ("flights_climbed", .object([("total", .number)])),
            ("sleep", .object([
                ("time_in_bed", .number), ("time_asleep", .number), ("unit", .string),
                ("stages", .object([("awake", .number), ("rem", .number), ("core", .number), ("deep", .number)])),
            ])),
        ])),
        ("ComprehensiveMetrics", .object([
            ("patient_id", .formatted("uuid")), ("request_timestamp", .formatted("date-time")), ("summary", named("MetricSummary")),
            ("time_series", .object(["steps", "steps_hourly", "calories", "calories_hourly", "heart_rate", "heart_rate_hourly", "distance", "distance_hourly"].map {
                ($0, .array(.object([("date", .string), ("total", .number), ("avg", .number), ("count", .integer), ("min", .number), ("max", .number)])))
            } + [("sleep", .array(.object([
                ("date", .formatted("date")), ("time_in_bed", .number), ("time_asleep", .number), ("awake", .number), ("rem", .number), ("core", .number), ("deep", .number),
            ])))])),
            ("device_info", .object([("last_sync", .nullable(.formatted("date-time"))), ("total_metrics", .integer)])),
        ])),
        ("DevicePairing", .object([
            ("pairing_id", .formatted("uuid")), ("patient_id", .formatted("uuid")), ("ios_user_id", .string), ("ios_device_id", .string),
            ("android_user_id", .string), ("device_name", .string), ("device_type", .string), ("paired_at", .formatted("date-time")), ("is_active", .boolean),
        ])),
        ("WearableDevice", .object([
            ("id", .formatted("uuid")), ("patient_id", .formatted("uuid")), ("device_id", .string), ("name", .string), ("type", .string),
            ("registered_at", .formatted("date-time")),
        ])),
    ]
}
