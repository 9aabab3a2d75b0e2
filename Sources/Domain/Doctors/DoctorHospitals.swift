import Foundation

/// One of a doctor's hospitals (many-to-many; one is the primary).
public struct DoctorHospitalLink: Sendable, Equatable {
    public let doctorID: Doctor.ID
    public let hospitalID: Hospital.ID
    public let isPrimary: Bool
    public let joinedAt: Date

    public init(doctorID: Doctor.ID, hospitalID: Hospital.ID, isPrimary: Bool, joinedAt: Date) {
        self.doctorID = doctorID
        self.hospitalID = hospitalID
        self.isPrimary = isPrimary
        self.joinedAt = joinedAt
    }
}

/// The raw `POST /doctors/{id}/hospitals` body.
public struct DoctorHospitalsForm: Sendable, Decodable {
    public var hospitalIds: [String]?
    public var primaryHospitalId: String?

    public init() {}
}

/// A doctor's complete set of hospitals, validated: 1–20 distinct hospitals, the primary among
/// them (implied when there is only one).
public struct DoctorHospitals: Sendable, Equatable {
    public let hospitalIDs: [Hospital.ID]
    public let primary: Hospital.ID

    public init(validating form: DoctorHospitalsForm) throws(DomainError) {
        var check = Validator()
        var ids: [Hospital.ID] = []
        for raw in form.hospitalIds ?? [] {
            guard let id = Hospital.ID(raw) else {
                check.fail("hospital_ids", "must be UUIDs")
                break
            }
            if !ids.contains(id) { ids.append(id) }
        }
        if form.hospitalIds == nil || ids.isEmpty && check.issues.isEmpty { check.fail("hospital_ids", "must name at least one hospital") }
        if ids.count > 20 { check.fail("hospital_ids", "must name at most 20 hospitals") }
        var primary = ids.count == 1 ? ids.first : nil
        if let raw = form.primaryHospitalId {
            primary = Hospital.ID(raw)
            if primary.map({ !ids.contains($0) }) ?? true { check.fail("primary_hospital_id", "must be one of hospital_ids") }
        } else if ids.count > 1 {
            check.fail("primary_hospital_id", "is required with several hospitals")
        }
        try check.check()
        hospitalIDs = ids
        self.primary = primary!
    }
}
