/// The kind of facility a hospital account represents.
public enum FacilityType: String, Sendable, Codable, CaseIterable {
    case generalHospital = "GENERAL_HOSPITAL"
    case multiSpecialtyHospital = "MULTI_SPECIALTY_HOSPITAL"
    case superSpecialtyHospital = "SUPER_SPECIALTY_HOSPITAL"
    case specialtyHospital = "SPECIALTY_HOSPITAL"
    case clinic = "CLINIC"
    case nursingHome = "NURSING_HOME"
    case diagnosticCenter = "DIAGNOSTIC_CENTER"
    case primaryHealthCenter = "PRIMARY_HEALTH_CENTER"
    case communityHealthCenter = "COMMUNITY_HEALTH_CENTER"
}
