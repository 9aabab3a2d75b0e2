import Foundation

/// A patient's stay at a hospital, from admission to discharge. Status only moves up
/// `ADMITTED < DISCHARGED`.
public struct Admission: Sendable, Equatable {
    public typealias ID = Identifier<Admission>

    public let id: ID
    public let hospitalID: Hospital.ID
    public let patientID: Patient.ID
    public let doctorID: Doctor.ID?
    public let condition: String
    public let severity: Severity
    public let department: String?
    public var status: Status
    public let admittedAt: Date
    public var dischargedAt: Date?
    public var dischargeSummary: String?
    public var followUp: String?

    public enum Status: String, Sendable, CaseIterable {
        case admitted = "ADMITTED"
        case discharged = "DISCHARGED"
    }

    /// How serious the case is, as the contract spells it.
    public enum Severity: String, Sendable, CaseIterable {
        case low = "LOW"
        case medium = "MEDIUM"
        case high = "HIGH"
        case critical = "CRITICAL"

        /// HIGH and CRITICAL admissions are emergencies (the dashboard's emergency cases, a
        /// doctor's emergency flag).
        public var isEmergency: Bool { self == .high || self == .critical }
    }

    public init(
        id: ID, hospitalID: Hospital.ID, patientID: Patient.ID, doctorID: Doctor.ID?, condition: String, severity: Severity,
        department: String?, status: Status, admittedAt: Date, dischargedAt: Date?, dischargeSummary: String?, followUp: String?
    ) {
        self.id = id
        self.hospitalID = hospitalID
        self.patientID = patientID
        self.doctorID = doctorID
        self.condition = condition
        self.severity = severity
        self.department = department
        self.status = status
        self.admittedAt = admittedAt
        self.dischargedAt = dischargedAt
        self.dischargeSummary = dischargeSummary
        self.followUp = followUp
    }
}

/// The raw admission form (`POST /hospitals/{id}/admit`).
public struct AdmissionForm: Sendable, Decodable {
    public var patientId: String?
    public var doctorId: String?
    public var condition: String?
    public var severity: String?
    public var department: String?

    public init() {}
}

/// An admission request that passed validation.
public struct AdmissionRequest: Sendable {
    public let patientID: Patient.ID
    public let doctorID: Doctor.ID?
    public let condition: String
    public let severity: Admission.Severity
    public let department: String?

    public init(validating form: AdmissionForm) throws(DomainError) {
        var check = Validator()
        let patient = check.identifier("patient_id", form.patientId, of: Patient.self)
        doctorID = form.doctorId.flatMap { raw in
            let id = Doctor.ID(raw)
            if id == nil { check.fail("doctor_id", "must be a UUID") }
            return id
        }
        condition = check.text("condition", form.condition, maxLength: 500)
        let severity = form.severity == nil ? .medium : check.choice("severity", form.severity, as: Admission.Severity.self)
        department = check.optionalText("department", form.department, maxLength: 100)
        try check.check()
        patientID = patient!
        self.severity = severity!
    }
}

/// What a hospital's dashboard shows, computed from its admissions, resources and doctors (never
/// stored twice).
public struct HospitalDashboard: Sendable, Equatable {
    public let totalBeds: Int
    public let occupiedBeds: Int
    public let availableBeds: Int
    public let icuBeds: Int
    public let emergencyCases: Int
    public let criticalPatients: Int
    public let totalDoctors: Int
    public let activeDoctors: Int

    /// Beds come from the declared resources when there are any, else from the capacity given at
    /// sign-up; occupied beds are current admissions; emergency cases are admissions of HIGH or
    /// CRITICAL severity; active doctors are the linked doctors caring for an admitted patient.
    public init(capacity: HospitalCapacity, resources: HospitalResources?, admitted: [Admission], doctors: Set<Doctor.ID>) {
        totalBeds = resources.map(\.totalBeds).flatMap { $0 > 0 ? $0 : nil } ?? capacity.totalBeds
        occupiedBeds = admitted.count
        availableBeds = max(0, totalBeds - occupiedBeds)
        icuBeds = capacity.icuBeds
        emergencyCases = admitted.filter(\.severity.isEmergency).count
        criticalPatients = admitted.filter { $0.severity == .critical }.count
        totalDoctors = doctors.count
        activeDoctors = Set(admitted.compactMap(\.doctorID)).intersection(doctors).count
    }
}
