/// A patient's gender, spelled as the API contract spells it.
public enum Gender: String, Sendable, Codable, CaseIterable {
    case male = "MALE"
    case female = "FEMALE"
    case other = "OTHER"
}
