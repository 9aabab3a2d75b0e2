/// How a doctor's patient list shows a patient, derived when asked: LOCKED without a consent in
/// force (the name only); with one, ACTIVE — or, while the patient is admitted, STABLE (LOW or
/// MEDIUM severity), MONITORING (HIGH) or CRITICAL.
public enum DoctorPatientStatus: String, Sendable, CaseIterable {
    case locked = "LOCKED"
    case active = "ACTIVE"
    case stable = "STABLE"
    case monitoring = "MONITORING"
    case critical = "CRITICAL"

    public init(consentInForce: Bool, currentAdmission: Admission?) {
        guard consentInForce else {
            self = .locked
            return
        }
        guard let admission = currentAdmission, admission.status == .admitted else {
            self = .active
            return
        }
        switch admission.severity {
        case .low, .medium: self = .stable
        case .high: self = .monitoring
        case .critical: self = .critical
        }
    }
}
