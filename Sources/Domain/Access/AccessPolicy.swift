import Foundation

/// The access rules of the RBAC table and of object-level authorization, as pure functions of
/// who asks, for which object, and the facts that decide it (consents, time). `EdgeNode` asks
/// these; no route decides access on its own.
///
/// | Role | May |
/// |------|-----|
/// | PATIENT | own profile, own health data, own consents, own access log |
/// | DOCTOR | a patient's data under an approved, unexpired consent |
/// | HOSPITAL_ADMIN | own hospital's profile, staff, resources and audit trail |
/// | SYSTEM_ADMIN | every log, node operations; never modifies patient data |
public enum AccessPolicy {
    /// Reading a patient's clinical data (profile, records, health metrics) at `time`: the patient,
    /// or a doctor holding a consent in force for that patient, or break-glass access still open.
    public static func mayReadPatientData(
        _ principal: Principal, patient: Patient.ID, consents: [ConsentGrant], emergencies: [EmergencyAccess] = [], at time: Date
    ) -> Bool {
        switch principal.role {
        case .patient:
            principal.patientID == patient
        case .doctor:
            consents.contains { $0.patientID == patient && $0.doctorID == principal.doctorID && $0.isInForce(at: time) }
                || emergencies.contains { $0.patientID == patient && $0.doctorID == principal.doctorID && $0.isOpen(at: time) }
        case .hospitalAdmin, .systemAdmin:
            false
        }
    }

    /// Opening break-glass access: doctors only (a patient needs none; administrators never read
    /// clinical data).
    public static func mayOpenEmergencyAccess(_ principal: Principal) -> Bool {
        principal.role == .doctor && principal.doctorID != nil
    }

    /// Adding a document to a patient's records: the patient, or a doctor whose consent is in force
    /// (break-glass access is read-only).
    public static func mayAddRecord(_ principal: Principal, patient: Patient.ID, consents: [ConsentGrant], at time: Date) -> Bool {
        switch principal.role {
        case .patient: principal.patientID == patient
        case .doctor: mayReadPatientData(principal, patient: patient, consents: consents, at: time)
        case .hospitalAdmin, .systemAdmin: false
        }
    }

    /// Changing a patient's own data (medical profile, consent decisions): the patient only.
    public static func mayModifyPatientData(_ principal: Principal, patient: Patient.ID) -> Bool {
        principal.role == .patient && principal.patientID == patient
    }

    /// Reading a patient's consents: the patient all of them; a doctor only those naming them.
    public static func mayReadConsent(_ principal: Principal, of consent: ConsentGrant) -> Bool {
        switch principal.role {
        case .patient: principal.patientID == consent.patientID
        case .doctor: principal.doctorID == consent.doctorID
        case .hospitalAdmin, .systemAdmin: false
        }
    }

    /// Reading who accessed a patient's data: the patient, and SYSTEM_ADMIN (who reads every log).
    public static func mayReadAccessLog(_ principal: Principal, patient: Patient.ID) -> Bool {
        switch principal.role {
        case .patient: principal.patientID == patient
        case .systemAdmin: true
        case .doctor, .hospitalAdmin: false
        }
    }

    /// Reading a hospital's audit trail: that hospital's admins, and SYSTEM_ADMIN.
    public static func mayReadFacilityAudit(_ principal: Principal, hospital: Hospital.ID) -> Bool {
        switch principal.role {
        case .hospitalAdmin: principal.hospitalID == hospital
        case .systemAdmin: true
        case .patient, .doctor: false
        }
    }

    /// Reading the whole deployment's audit trail: SYSTEM_ADMIN only.
    public static func mayReadAllAudit(_ principal: Principal) -> Bool {
        principal.role == .systemAdmin
    }

    /// Caring for patients at a hospital (admitting, discharging, listing its admitted patients):
    /// its own admins, and the doctors who work there (`doctorsHospitals` are the caller's).
    public static func mayCareAt(_ principal: Principal, hospital: Hospital.ID, doctorsHospitals: [Hospital.ID]) -> Bool {
        switch principal.role {
        case .hospitalAdmin: principal.hospitalID == hospital
        case .doctor: doctorsHospitals.contains(hospital)
        case .patient, .systemAdmin: false
        }
    }

    /// Changing a hospital's profile or resources: that hospital's own admins only.
    public static func mayAdministerHospital(_ principal: Principal, hospital: Hospital.ID) -> Bool {
        principal.role == .hospitalAdmin && principal.hospitalID == hospital
    }
}
