/// ABO/Rh blood groups, spelled as the API contract spells them (`O_POSITIVE`).
public enum BloodGroup: String, Sendable, Codable, CaseIterable {
    case aPositive = "A_POSITIVE"
    case aNegative = "A_NEGATIVE"
    case bPositive = "B_POSITIVE"
    case bNegative = "B_NEGATIVE"
    case abPositive = "AB_POSITIVE"
    case abNegative = "AB_NEGATIVE"
    case oPositive = "O_POSITIVE"
    case oNegative = "O_NEGATIVE"
}
