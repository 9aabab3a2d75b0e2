import Domain
import GRDB
import Replication

/// The domain tables of the node, declared as replicated tables, and their migrations.
///
/// Replicated tables carry no foreign keys: rows of one transaction may reach another replica in
/// different batches. Uniqueness holds in the schema only where it holds under partitions too
/// (user ids derive from the email, so one email is one row everywhere). Migrations are named,
/// additive, and never edited once shipped.
enum DomainTables {
    /// Accounts. The id derives from the email; if two partitioned nodes sign up one email, the
    /// first sign-up keeps the account everywhere — password, role and what it is linked to (its
    /// hospital, patient record or doctor profile): a later one cannot take it over. Only
    /// `is_active` changes afterwards.
    static let users = ReplicatedTable.lastWriterWins("users", columns: [
        .init("email", rule: .firstWriterWins), .init("password_hash", rule: .firstWriterWins), .init("role", rule: .firstWriterWins),
        .init("is_active"), .init("hospital_id", rule: .firstWriterWins), .init("created_at", rule: .firstWriterWins),
        .init("patient_id", rule: .firstWriterWins), .init("doctor_id", rule: .firstWriterWins),
    ])

    static let hospitals = ReplicatedTable.lastWriterWins("hospitals", columns: [
        .init("hospital_code"), .init("name"), .init("email"), .init("facility_type"),
        .init("phone_primary"), .init("phone_emergency"), .init("address_line1"), .init("city"),
        .init("state"), .init("postal_code"), .init("country"), .init("total_beds"), .init("icu_beds"),
        .init("emergency_beds"), .init("operation_theatres"), .init("has_emergency"), .init("has_ambulance"),
        .init("has_pharmacy"), .init("has_lab"), .init("has_blood_bank"), .init("is_active"),
        .init("admin_user_id"), .init("created_at"),
    ])

    /// Refresh tokens, stored hashed. `status` only moves up: a rotated or revoked token never
    /// becomes usable again on any replica, whatever the clocks say.
    static let refreshTokens = ReplicatedTable.lastWriterWins("refresh_tokens", columns: [
        .init("user_id"), .init("family_id"), .init("token_hash"), .init("expires_at"), .init("created_at"),
        .init("status", rule: .maxRegister(order: RefreshTokenStatus.allCases.map(\.rawValue))),
    ])

    /// A facility's current resources, one row per hospital (the row id is the hospital's id).
    /// Counts are checked one by one only: two concurrent updates merge field by field, so a
    /// cross-field rule (available ≤ total) is the API's to check, never the schema's.
    static let hospitalResources = ReplicatedTable.lastWriterWins("hospital_resources", columns: [
        .init("hospital_id"), .init("total_beds"), .init("available_beds"), .init("oxygen_cylinders"), .init("ventilators"),
        .init("ambulances"), .init("blood_bags"), .init("updated_at"), .init("updated_by"),
    ])

    /// Patients. The row id derives from the Aadhaar UID, so one person signing up at two
    /// partitioned nodes is one row, and `aadhar_uid` is unique on every replica. Every column is
    /// first-writer-wins until profiles become editable: the first registration is the record,
    /// whole, everywhere. The number itself is kept only sealed (AES-256-GCM) in `aadhar_encrypted`.
    static let patients = ReplicatedTable.lastWriterWins("patients", columns: [
        "user_id", "aadhar_uid", "aadhar_encrypted", "first_name", "last_name", "date_of_birth", "gender", "blood_group",
        "phone_primary", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relation",
        "address_line1", "city", "state", "postal_code", "country", "created_at",
    ].map { .init($0, rule: .firstWriterWins) })

    /// Doctors. The row id derives from the licence number (or, without one, from the account),
    /// so one licence is one row everywhere; like patients, the first registration is the record,
    /// whole (first-writer-wins). `qualifications` is a JSON array.
    static let doctors = ReplicatedTable.lastWriterWins("doctors", columns: [
        "user_id", "first_name", "last_name", "medical_license_no", "specialization", "phone_primary", "hospital_id",
        "qualifications", "experience_years", "consultation_fee", "address_line1", "city", "state", "postal_code",
        "country", "created_at",
    ].map { .init($0, rule: .firstWriterWins) })

    /// The audit trail: an append-only set of immutable facts that reaches every replica and the hub.
    static let auditLogs = ReplicatedTable.appendOnly("audit_logs", columns: [
        "actor_id", "actor_role", "action", "object_type", "object_id", "patient_id", "hospital_id",
        "occurred_at", "client_address", "node_id",
    ])

    /// Revoked sessions: the refresh-token families ended by a logout or a replayed token (the row
    /// id is the family id). A set that only grows, so a revocation holds for tokens of the family
    /// a replica learns of later.
    static let revokedSessions = ReplicatedTable.appendOnly("revoked_sessions", columns: ["revoked_at"])

    /// Consents. Who asked whom for what is fixed at the request (first-writer-wins); `status` is a
    /// max-register over `PENDING < APPROVED < DENIED < REVOKED`, so a denial or revocation made at
    /// any node wins everywhere, whatever the clocks say.
    static let consents = ReplicatedTable.lastWriterWins("consents", columns: [
        .init("patient_id", rule: .firstWriterWins), .init("doctor_id", rule: .firstWriterWins),
        .init("facility_name", rule: .firstWriterWins), .init("request_type", rule: .firstWriterWins),
        .init("description", rule: .firstWriterWins), .init("requested_at", rule: .firstWriterWins),
        .init("status", rule: .maxRegister(order: ConsentStatus.allCases.map(\.rawValue))),
        .init("decided_at"), .init("expires_at"),
    ])

    /// The medical profile a patient edits (row id = the patient's id); lists are JSON arrays.
    /// Every field is its own last-writer-wins register: edits of different fields at two nodes
    /// both survive.
    static let patientProfiles = ReplicatedTable.lastWriterWins("patient_profiles", columns: [
        .init("allergies"), .init("chronic_conditions"), .init("current_medications"), .init("insurance_provider"),
        .init("insurance_policy_no"), .init("weight_kg"), .init("height_cm"), .init("updated_at"),
    ])

    /// A doctor's hospitals (row id derived from doctor and hospital, so a link is one row
    /// everywhere); leaving a hospital clears `is_active`, so the doctor can join again.
    /// A link counts for care only once the hospital's admin approved it (`approval` only moves
    /// up `PENDING < APPROVED`).
    static let doctorHospitals = ReplicatedTable.lastWriterWins("doctor_hospitals", columns: [
        .init("doctor_id", rule: .firstWriterWins), .init("hospital_id", rule: .firstWriterWins), .init("joined_at", rule: .firstWriterWins),
        .init("is_primary"), .init("is_active"), .init("approval", rule: .maxRegister(order: ["PENDING", "APPROVED"])),
    ])

    /// Admissions: what was admitted is fixed (first-writer-wins); `status` only moves up
    /// `ADMITTED < DISCHARGED`.
    static let admissions = ReplicatedTable.lastWriterWins("admissions", columns: [
        "hospital_id", "patient_id", "doctor_id", "condition", "severity", "department", "admitted_at",
    ].map { .init($0, rule: .firstWriterWins) } + [
        .init("status", rule: .maxRegister(order: Admission.Status.allCases.map(\.rawValue))),
        .init("discharged_at"), .init("discharge_summary"), .init("follow_up"),
    ])

    /// Break-glass openings: immutable, audited facts.
    /// `hospital_ids` (JSON) are the doctor's hospitals when it was opened, whose admins review it.
    static let emergencyAccesses = ReplicatedTable.appendOnly("emergency_accesses", columns: [
        "patient_id", "doctor_id", "reason", "opened_at", "expires_at", "hospital_ids",
    ])

    /// Requests for records held by facilities not on the network yet, by Aadhaar UID: immutable
    /// facts for the hub's operators to follow up.
    static let recordLookups = ReplicatedTable.appendOnly("record_lookups", columns: [
        "aadhar_uid", "patient_id", "facility_name", "requested_by", "requested_at",
    ])

    /// Medical documents' metadata (the bytes are blobs, by `sha256`): fixed at upload
    /// (first-writer-wins); deleting leaves a replicated tombstone.
    static let medicalRecords = ReplicatedTable.lastWriterWins("medical_records", columns: [
        "patient_id", "title", "record_type", "record_date", "file_name", "content_type", "size_bytes", "sha256", "uploaded_by", "uploaded_at",
    ].map { .init($0, rule: .firstWriterWins) })

    /// DocAssist's encrypted backups: metadata only (the bytes are a blob), fixed once written.
    static let backups = ReplicatedTable.lastWriterWins("backups", columns: [
        "owner_id", "file_name", "size_bytes", "sha256", "device_id", "device_name", "created_at",
    ].map { .init($0, rule: .firstWriterWins) })

    /// Health samples: immutable facts, one per (patient, device, type, start) — the contract's
    /// unique index. The id spells that key, `patient|type|start (13 digits)|device`, so the table
    /// (without rowid) is clustered by patient, type and time: the primary key is both the
    /// deduplication and the index every read and rollup repair scans.
    static let healthMetrics = ReplicatedTable.appendOnly("health_metrics", columns: [
        "patient_id", "device", "metric_type", "start_ms", "end_ms", "value", "source",
    ])

    /// Wearables a patient registered, one row per patient and external device id (the row id
    /// derives from both); what was registered is first-writer-wins, the name and type editable.
    static let wearableDevices = ReplicatedTable.lastWriterWins("wearable_devices", columns: [
        .init("patient_id", rule: .firstWriterWins), .init("external_id", rule: .firstWriterWins), .init("name"), .init("device_type"),
        .init("registered_at", rule: .firstWriterWins), .init("is_active"),
    ])

    /// iPhone–app pairings, one row per patient and iOS device (the row id derives from both);
    /// what was paired is first-writer-wins, the rest editable; unpairing clears `is_active`.
    static let devicePairings = ReplicatedTable.lastWriterWins("device_pairings", columns: [
        .init("patient_id", rule: .firstWriterWins), .init("ios_device_id", rule: .firstWriterWins), .init("ios_user_id"), .init("android_user_id"),
        .init("device_name"), .init("device_type"), .init("pairing_code_sha256"), .init("paired_at"), .init("is_active"),
    ])

    /// A doctor's editable profile (row id = the doctor's id), over the first-writer-wins sign-up
    /// record in `doctors`: a field set here replaces the sign-up value (`current_doctors` view).
    /// Every field is last-writer-wins and the row is created by upsert, so edits of different
    /// fields at two nodes both survive, even the very first ones.
    static let doctorProfiles = ReplicatedTable.lastWriterWins("doctor_profiles", columns: [
        "specialization", "phone_primary", "qualifications", "experience_years", "consultation_fee", "address_line1", "city", "state",
        "postal_code", "country", "updated_at",
    ].map { .init($0) })

    /// The node's replicated tables: the domain's and the deployment's revocation list.
    static let schema = ReplicationSchema(tables: [
        hospitals, users, refreshTokens, hospitalResources, NodeRevocations.table, patients, doctors, auditLogs, revokedSessions, consents, patientProfiles, doctorHospitals, admissions, emergencyAccesses, recordLookups, medicalRecords,
        healthMetrics, wearableDevices, devicePairings, doctorProfiles, backups,
    ])

    /// State derived from the append-only tables, kept in step with them (not replicated);
    /// `versions` learns which patients' rollups each commit changed.
    static func derivations(versions: MetricVersions? = nil) -> [any AppendDerivation] {
        [HealthMetricRollups(versions: versions)]
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        NodeRevocations.registerMigration(&migrator)
        migrator.registerMigration("domain-v1-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    email TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('PATIENT', 'DOCTOR', 'HOSPITAL_ADMIN', 'SYSTEM_ADMIN')),
                    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
                    hospital_id TEXT,
                    created_at TEXT NOT NULL
                );

                CREATE TABLE hospitals (
                    id TEXT PRIMARY KEY NOT NULL,
                    hospital_code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    email TEXT NOT NULL,
                    facility_type TEXT NOT NULL,
                    phone_primary TEXT NOT NULL,
                    phone_emergency TEXT,
                    address_line1 TEXT NOT NULL,
                    city TEXT NOT NULL,
                    state TEXT NOT NULL,
                    postal_code TEXT NOT NULL,
                    country TEXT NOT NULL,
                    total_beds INTEGER NOT NULL DEFAULT 0 CHECK (total_beds >= 0),
                    icu_beds INTEGER NOT NULL DEFAULT 0 CHECK (icu_beds >= 0),
                    emergency_beds INTEGER NOT NULL DEFAULT 0 CHECK (emergency_beds >= 0),
                    operation_theatres INTEGER NOT NULL DEFAULT 0 CHECK (operation_theatres >= 0),
                    has_emergency INTEGER NOT NULL DEFAULT 0,
                    has_ambulance INTEGER NOT NULL DEFAULT 0,
                    has_pharmacy INTEGER NOT NULL DEFAULT 0,
                    has_lab INTEGER NOT NULL DEFAULT 0,
                    has_blood_bank INTEGER NOT NULL DEFAULT 0,
                    is_active INTEGER NOT NULL DEFAULT 1,
                    admin_user_id TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX hospitals_code ON hospitals (hospital_code);
                CREATE INDEX hospitals_name ON hospitals (name COLLATE NOCASE);

                CREATE TABLE refresh_tokens (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL,
                    family_id TEXT NOT NULL,
                    token_hash TEXT NOT NULL,
                    expires_at TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'ACTIVE'
                );
                CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
                """)
            for table in [users, hospitals, refreshTokens] { try table.addBookkeeping(in: db) }
        }
        migrator.registerMigration("domain-v2-hospital-resources") { db in
            try db.execute(sql: """
                CREATE TABLE hospital_resources (
                    id TEXT PRIMARY KEY NOT NULL,
                    hospital_id TEXT NOT NULL,
                    total_beds INTEGER NOT NULL DEFAULT 0 CHECK (total_beds >= 0),
                    available_beds INTEGER NOT NULL DEFAULT 0 CHECK (available_beds >= 0),
                    oxygen_cylinders INTEGER NOT NULL DEFAULT 0 CHECK (oxygen_cylinders >= 0),
                    ventilators INTEGER NOT NULL DEFAULT 0 CHECK (ventilators >= 0),
                    ambulances INTEGER NOT NULL DEFAULT 0 CHECK (ambulances >= 0),
                    blood_bags INTEGER NOT NULL DEFAULT 0 CHECK (blood_bags >= 0),
                    updated_at TEXT NOT NULL,
                    updated_by TEXT NOT NULL
                );
                """)
            try hospitalResources.addBookkeeping(in: db)
        }
        migrator.registerMigration("domain-v3-identity") { db in
            try db.execute(sql: """
                CREATE TABLE patients (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL,
                    aadhar_uid TEXT NOT NULL UNIQUE CHECK (length(aadhar_uid) = 64),
                    aadhar_encrypted TEXT NOT NULL,
                    first_name TEXT NOT NULL,
                    last_name TEXT NOT NULL,
                    date_of_birth TEXT NOT NULL,
                    gender TEXT NOT NULL CHECK (gender IN ('MALE', 'FEMALE', 'OTHER')),
                    blood_group TEXT,
                    phone_primary TEXT NOT NULL,
                    emergency_contact_name TEXT,
                    emergency_contact_phone TEXT,
                    emergency_contact_relation TEXT,
                    address_line1 TEXT,
                    city TEXT,
                    state TEXT,
                    postal_code TEXT,
                    country TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX patients_user ON patients (user_id);

                CREATE TABLE doctors (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL,
                    first_name TEXT NOT NULL,
                    last_name TEXT NOT NULL DEFAULT '',
                    medical_license_no TEXT,
                    specialization TEXT,
                    phone_primary TEXT,
                    hospital_id TEXT,
                    qualifications TEXT NOT NULL DEFAULT '[]',
                    experience_years INTEGER CHECK (experience_years >= 0),
                    consultation_fee REAL CHECK (consultation_fee >= 0),
                    address_line1 TEXT,
                    city TEXT,
                    state TEXT,
                    postal_code TEXT,
                    country TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX doctors_user ON doctors (user_id);
                CREATE INDEX doctors_license ON doctors (medical_license_no);
                CREATE INDEX doctors_hospital ON doctors (hospital_id);

                CREATE TABLE audit_logs (
                    id TEXT PRIMARY KEY NOT NULL,
                    actor_id TEXT,
                    actor_role TEXT,
                    action TEXT NOT NULL,
                    object_type TEXT NOT NULL,
                    object_id TEXT,
                    patient_id TEXT,
                    hospital_id TEXT,
                    occurred_at TEXT NOT NULL,
                    client_address TEXT,
                    node_id TEXT NOT NULL
                );
                CREATE INDEX audit_logs_patient ON audit_logs (patient_id, occurred_at);
                CREATE INDEX audit_logs_hospital ON audit_logs (hospital_id, occurred_at);
                CREATE INDEX audit_logs_time ON audit_logs (occurred_at);
                """)
            for table in [patients, doctors] { try table.addBookkeeping(in: db) }
        }
        migrator.registerMigration("domain-v4-revoked-sessions") { db in
            try db.execute(sql: "CREATE TABLE revoked_sessions (id TEXT PRIMARY KEY NOT NULL, revoked_at TEXT NOT NULL)")
        }
        migrator.registerMigration("domain-v5-account-links") { db in
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN patient_id TEXT;
                ALTER TABLE users ADD COLUMN doctor_id TEXT;
                """)
        }
        migrator.registerMigration("domain-v6-consents-and-profiles") { db in
            try db.execute(sql: """
                CREATE TABLE consents (
                    id TEXT PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    doctor_id TEXT NOT NULL,
                    facility_name TEXT,
                    request_type TEXT NOT NULL,
                    description TEXT,
                    requested_at TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'REVOKED')),
                    decided_at TEXT,
                    expires_at TEXT
                );
                CREATE INDEX consents_patient ON consents (patient_id, doctor_id);
                CREATE INDEX consents_doctor ON consents (doctor_id);

                CREATE TABLE patient_profiles (
                    id TEXT PRIMARY KEY NOT NULL,
                    allergies TEXT NOT NULL DEFAULT '[]',
                    chronic_conditions TEXT NOT NULL DEFAULT '[]',
                    current_medications TEXT NOT NULL DEFAULT '[]',
                    insurance_provider TEXT,
                    insurance_policy_no TEXT,
                    weight_kg REAL CHECK (weight_kg > 0),
                    height_cm REAL CHECK (height_cm > 0),
                    updated_at TEXT NOT NULL
                );
                """)
            for table in [consents, patientProfiles] { try table.addBookkeeping(in: db) }
        }
        migrator.registerMigration("domain-v7-care") { db in
            try db.execute(sql: """
                CREATE TABLE doctor_hospitals (
                    id TEXT PRIMARY KEY NOT NULL,
                    doctor_id TEXT NOT NULL,
                    hospital_id TEXT NOT NULL,
                    joined_at TEXT NOT NULL,
                    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
                    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1))
                );
                CREATE INDEX doctor_hospitals_doctor ON doctor_hospitals (doctor_id);
                CREATE INDEX doctor_hospitals_hospital ON doctor_hospitals (hospital_id);

                CREATE TABLE admissions (
                    id TEXT PRIMARY KEY NOT NULL,
                    hospital_id TEXT NOT NULL,
                    patient_id TEXT NOT NULL,
                    doctor_id TEXT,
                    condition TEXT NOT NULL,
                    severity TEXT NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
                    department TEXT,
                    admitted_at TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('ADMITTED', 'DISCHARGED')),
                    discharged_at TEXT,
                    discharge_summary TEXT,
                    follow_up TEXT
                );
                CREATE INDEX admissions_hospital ON admissions (hospital_id, status);
                CREATE INDEX admissions_patient ON admissions (patient_id);

                CREATE TABLE emergency_accesses (
                    id TEXT PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    doctor_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    opened_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                );
                CREATE INDEX emergency_accesses_patient ON emergency_accesses (patient_id, doctor_id);
                CREATE INDEX emergency_accesses_doctor ON emergency_accesses (doctor_id);
                """)
            for table in [doctorHospitals, admissions] { try table.addBookkeeping(in: db) }
        }
        migrator.registerMigration("domain-v8-record-lookups") { db in
            try db.execute(sql: """
                CREATE TABLE record_lookups (
                    id TEXT PRIMARY KEY NOT NULL,
                    aadhar_uid TEXT NOT NULL,
                    patient_id TEXT NOT NULL,
                    facility_name TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    requested_at TEXT NOT NULL
                );
                CREATE INDEX record_lookups_patient ON record_lookups (patient_id);
                """)
        }
        migrator.registerMigration("domain-v9-link-approval-and-review") { db in
            try db.execute(sql: """
                ALTER TABLE doctor_hospitals ADD COLUMN approval TEXT NOT NULL DEFAULT 'PENDING' CHECK (approval IN ('PENDING', 'APPROVED'));
                ALTER TABLE emergency_accesses ADD COLUMN hospital_ids TEXT NOT NULL DEFAULT '[]';
                """)
        }
        migrator.registerMigration("domain-v10-medical-records") { db in
            try db.execute(sql: """
                CREATE TABLE medical_records (
                    id TEXT PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    title TEXT NOT NULL,
                    record_type TEXT NOT NULL CHECK (record_type IN ('LAB_REPORT', 'PRESCRIPTION', 'GENERAL', 'CONSULTATION', 'IMAGING')),
                    record_date TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    uploaded_by TEXT NOT NULL,
                    uploaded_at TEXT NOT NULL
                );
                CREATE INDEX medical_records_patient ON medical_records (patient_id, record_date);
                """)
            try medicalRecords.addBookkeeping(in: db)
        }
        migrator.registerMigration("domain-v11-wearables") { db in
            try db.execute(sql: """
                CREATE TABLE health_metrics (
                    id TEXT PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    device TEXT NOT NULL,
                    metric_type TEXT NOT NULL,
                    start_ms INTEGER NOT NULL CHECK (start_ms BETWEEN 0 AND 9999999999999),
                    end_ms INTEGER NOT NULL,
                    value REAL NOT NULL,
                    source TEXT,
                    CHECK (end_ms >= start_ms),
                    CHECK (id = patient_id || '|' || metric_type || '|' || printf('%013d', start_ms) || '|' || device)
                ) WITHOUT ROWID;

                CREATE TABLE wearable_devices (
                    id TEXT PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    device_type TEXT NOT NULL,
                    registered_at TEXT NOT NULL,
                    is_active INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX wearable_devices_patient ON wearable_devices (patient_id);
                """)
            try wearableDevices.addBookkeeping(in: db)
            try HealthMetricRollups.createTables(in: db)
        }
        migrator.registerMigration("domain-v12-device-pairings") { db in
            try db.execute(sql: """
                CREATE TABLE device_pairings (
                    id TEXT PRIMARY KEY NOT NULL,
                    patient_id TEXT NOT NULL,
                    ios_device_id TEXT NOT NULL,
                    ios_user_id TEXT NOT NULL,
                    android_user_id TEXT NOT NULL,
                    device_name TEXT NOT NULL,
                    device_type TEXT NOT NULL,
                    pairing_code_sha256 TEXT NOT NULL CHECK (length(pairing_code_sha256) = 64),
                    paired_at TEXT NOT NULL,
                    is_active INTEGER NOT NULL CHECK (is_active IN (0, 1))
                );
                CREATE INDEX device_pairings_patient ON device_pairings (patient_id);
                """)
            try devicePairings.addBookkeeping(in: db)
        }
        migrator.registerMigration("domain-v13-doctor-profiles") { db in
            try db.execute(sql: """
                CREATE TABLE doctor_profiles (
                    id TEXT PRIMARY KEY NOT NULL,
                    specialization TEXT,
                    phone_primary TEXT,
                    qualifications TEXT,
                    experience_years INTEGER CHECK (experience_years BETWEEN 0 AND 80),
                    consultation_fee REAL CHECK (consultation_fee >= 0),
                    address_line1 TEXT,
                    city TEXT,
                    state TEXT,
                    postal_code TEXT,
                    country TEXT,
                    updated_at TEXT
                );
                CREATE VIEW current_doctors AS
                SELECT d.id, d.user_id, d.first_name, d.last_name, d.medical_license_no, d.hospital_id, d.created_at,
                       coalesce(p.specialization, d.specialization) AS specialization,
                       coalesce(p.phone_primary, d.phone_primary) AS phone_primary,
                       coalesce(p.qualifications, d.qualifications) AS qualifications,
                       coalesce(p.experience_years, d.experience_years) AS experience_years,
                       coalesce(p.consultation_fee, d.consultation_fee) AS consultation_fee,
                       coalesce(p.address_line1, d.address_line1) AS address_line1,
                       coalesce(p.city, d.city) AS city,
                       coalesce(p.state, d.state) AS state,
                       coalesce(p.postal_code, d.postal_code) AS postal_code,
                       coalesce(p.country, d.country) AS country
                FROM doctors d LEFT JOIN doctor_profiles p ON p.id = d.id;
                """)
            try doctorProfiles.addBookkeeping(in: db)
        }
        migrator.registerMigration("domain-v14-backups") { db in
            try db.execute(sql: """
                CREATE TABLE backups (
                    id TEXT PRIMARY KEY NOT NULL,
                    owner_id TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    device_id TEXT NOT NULL,
                    device_name TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX backups_owner ON backups (owner_id, created_at);
                """)
            try backups.addBookkeeping(in: db)
        }
        migrator.registerMigration("domain-v15-blob-names") { db in
            // Which records name a blob: asked when the hub takes a pushed blob and when unnamed blobs are collected.
            try db.execute(sql: """
                CREATE INDEX medical_records_sha256 ON medical_records (sha256);
                CREATE INDEX backups_sha256 ON backups (sha256);
                """)
        }
    }
}

/// The life of a refresh token, in the order it can only move along.
enum RefreshTokenStatus: String, CaseIterable {
    case active = "ACTIVE"
    case rotated = "ROTATED"
    case revoked = "REVOKED"
}
