import Foundation

/// The medical part of a patient's profile, which the patient keeps up to date (the contract's
/// `POST /patients/{id}/profile`). Each field merges on its own across nodes, so edits of
/// different fields made at two nodes both survive.
public struct MedicalProfile: Sendable, Equatable {
    public var allergies: [String] = []
    public var chronicConditions: [String] = []
    public var currentMedications: [String] = []
    public var insuranceProvider: String?
    public var insurancePolicyNo: String?
    public var weightKg: Double?
    public var heightCm: Double?

    public init() {}
}

/// A profile update as sent: only the fields present change.
public struct MedicalProfileForm: Sendable, Decodable {
    public var allergies: [String]?
    public var chronicConditions: [String]?
    public var currentMedications: [String]?
    public var insuranceProvider: String?
    public var insurancePolicyNo: String?
    public var weightKg: Double?
    public var heightCm: Double?

    public init() {}
}

/// A validated profile update: `fields` holds the values to set (lists trimmed); absent ones stay.
public struct MedicalProfileUpdate: Sendable {
    public let fields: MedicalProfileForm

    /// Validates every field present; throws `DomainError.invalid` listing all offending fields,
    /// or when the update changes nothing.
    public init(validating form: MedicalProfileForm) throws(DomainError) {
        var check = Validator()
        var fields = MedicalProfileForm()
        fields.allergies = check.entries("allergies", form.allergies)
        fields.chronicConditions = check.entries("chronic_conditions", form.chronicConditions)
        fields.currentMedications = check.entries("current_medications", form.currentMedications)
        fields.insuranceProvider = check.optionalText("insurance_provider", form.insuranceProvider, maxLength: 100)
        fields.insurancePolicyNo = check.optionalText("insurance_policy_no", form.insurancePolicyNo, maxLength: 100)
        if let weight = form.weightKg, !(0.2...700).contains(weight) { check.fail("weight_kg", "must be between 0.2 and 700") }
        if let height = form.heightCm, !(20...300).contains(height) { check.fail("height_cm", "must be between 20 and 300") }
        fields.weightKg = form.weightKg
        fields.heightCm = form.heightCm
        let values: [Any?] = [
            fields.allergies, fields.chronicConditions, fields.currentMedications, fields.insuranceProvider, fields.insurancePolicyNo,
            fields.weightKg, fields.heightCm,
        ]
        if check.issues.isEmpty, values.allSatisfy({ $0 == nil }) {
            check.fail("body", "names no field to update (allergies, chronic_conditions, current_medications, insurance_provider, insurance_policy_no, weight_kg, height_cm)")
        }
        try check.check()
        self.fields = fields
    }
}

extension Validator {
    /// An optional list of short entries (allergies, medications): at most 50, each 1–200
    /// characters once trimmed.
    public mutating func entries(_ field: String, _ values: [String]?) -> [String]? {
        guard let values else { return nil }
        let trimmed = values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if trimmed.count > 50 || trimmed.contains(where: { $0.isEmpty || $0.count > 200 }) {
            fail(field, "must be at most 50 entries of 1 to 200 characters")
        }
        return trimmed
    }
}
