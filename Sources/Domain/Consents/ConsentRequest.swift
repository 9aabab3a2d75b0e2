import Foundation

/// The raw consent request a doctor's app sends (every field optional until validated).
public struct ConsentRequestForm: Sendable, Decodable {
    public var patientId: String?
    public var doctorId: String?
    public var facilityName: String?
    public var requestType: String?
    public var description: String?

    public init() {}
}

/// A consent request that passed validation.
public struct ConsentRequest: Sendable {
    public let patientID: Patient.ID
    /// The doctor the request is for, if the form named one (it must be the caller).
    public let doctorID: Doctor.ID?
    public let facilityName: String?
    public let requestType: String
    public let description: String?

    /// Validates every field; throws `DomainError.invalid` listing all offending fields.
    public init(validating form: ConsentRequestForm) throws(DomainError) {
        var check = Validator()
        let patient = check.identifier("patient_id", form.patientId, of: Patient.self)
        doctorID = form.doctorId.flatMap { $0.isEmpty ? nil : $0 }.flatMap { raw in
            let id = Doctor.ID(raw)
            if id == nil { check.fail("doctor_id", "must be a UUID") }
            return id
        }
        facilityName = check.optionalText("facility_name", form.facilityName)
        let type = check.optionalText("request_type", form.requestType, maxLength: 50) ?? "full_access"
        if !type.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "_") }) {
            check.fail("request_type", "must be lowercase letters and underscores, like full_access")
        }
        requestType = type
        description = check.optionalText("description", form.description, maxLength: 1000)
        try check.check()
        patientID = patient!
    }
}

/// A patient's decision on a consent (`PATCH /consents/{id}`).
public struct ConsentDecisionForm: Sendable, Decodable {
    public var status: String?
    /// Optional end of an approval.
    public var expiresAt: String?

    public init() {}
}

extension Validator {
    /// A required id of `Entity`, written as a UUID.
    public mutating func identifier<Entity>(_ field: String, _ value: String?, of entity: Entity.Type) -> Identifier<Entity>? {
        guard let value, !value.isEmpty else {
            fail(field, "is required")
            return nil
        }
        guard let id = Identifier<Entity>(value) else {
            fail(field, "must be a UUID")
            return nil
        }
        return id
    }
}
