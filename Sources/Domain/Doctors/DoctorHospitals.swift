import Foundation

/// One of a doctor's hospitals (many-to-many; one is the primary). A doctor declares it; it
/// counts for care at that hospital once the hospital's admin approves it.
public struct DoctorHospitalLink: Sendable, Equatable {
    public let doctorID: Doctor.ID
    public let hospitalID: Hospital.ID
    public var isPrimary: Bool
    public let isApproved: Bool
    public let joinedAt: Date

    public init(doctorID: Doctor.ID, hospitalID: Hospital.ID, isPrimary: Bool, isApproved: Bool, joinedAt: Date) {
        self.doctorID = doctorID
        self.hospitalID = hospitalID
        self.isPrimary = isPrimary
        self.isApproved = isApproved
        self.joinedAt = joinedAt
    }

    /// A doctor's links with exactly one primary (two nodes may each have set one during a
    /// partition): the most recently joined of those flagged, else the first joined; primary first.
    public static func withOnePrimary(_ links: [DoctorHospitalLink]) -> [DoctorHospitalLink] {
        let byJoin = links.sorted { ($0.joinedAt, $0.hospitalID.description) < ($1.joinedAt, $1.hospitalID.description) }
        guard let primary = byJoin.last(where: \.isPrimary) ?? byJoin.first else { return [] }
        return [primary].map { var link = $0; link.isPrimary = true; return link }
            + byJoin.filter { $0.hospitalID != primary.hospitalID }.map { var link = $0; link.isPrimary = false; return link }
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
