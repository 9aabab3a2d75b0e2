/// Who is making a request: the authenticated account, the role its token carries, and the
/// objects that account is (its patient record, its doctor profile, the hospital it belongs to),
/// which object-level rules compare against.
public struct Principal: Sendable, Equatable {
    public let userID: User.ID
    public let role: UserRole
    public var patientID: Patient.ID?
    public var doctorID: Doctor.ID?
    /// The hospital a HOSPITAL_ADMIN administers, or a doctor's hospital.
    public var hospitalID: Hospital.ID?

    public init(userID: User.ID, role: UserRole, patientID: Patient.ID? = nil, doctorID: Doctor.ID? = nil, hospitalID: Hospital.ID? = nil) {
        self.userID = userID
        self.role = role
        self.patientID = patientID
        self.doctorID = doctorID
        self.hospitalID = hospitalID
    }
}
