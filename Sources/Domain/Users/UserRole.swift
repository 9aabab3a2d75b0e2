/// The roles of the RBAC table, spelled as the API contract spells them.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    case patient = "PATIENT"
    case doctor = "DOCTOR"
    case hospitalAdmin = "HOSPITAL_ADMIN"
    case systemAdmin = "SYSTEM_ADMIN"
}
