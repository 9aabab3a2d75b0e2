import Domain
import Foundation
import Testing

@Suite struct AccessPolicyTests {
    let patient = Patient.ID(UUID())
    let otherPatient = Patient.ID(UUID())
    let doctor = Doctor.ID(UUID())
    let hospital = Hospital.ID(UUID())
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func principal(_ role: UserRole, patient: Patient.ID? = nil, doctor: Doctor.ID? = nil, hospital: Hospital.ID? = nil) -> Principal {
        Principal(userID: User.ID(UUID()), role: role, patientID: patient, doctorID: doctor, hospitalID: hospital)
    }

    func consent(_ status: ConsentStatus, expires: Date? = nil, patient: Patient.ID? = nil) -> ConsentGrant {
        ConsentGrant(patientID: patient ?? self.patient, doctorID: doctor, status: status, expiresAt: expires)
    }

    @Test func aPatientReadsOnlyTheirOwnData() {
        #expect(AccessPolicy.mayReadPatientData(principal(.patient, patient: patient), patient: patient, consents: [], at: now))
        #expect(!AccessPolicy.mayReadPatientData(principal(.patient, patient: otherPatient), patient: patient, consents: [], at: now))
    }

    @Test func aDoctorReadsOnlyUnderAnApprovedUnexpiredConsentOfThatPatient() {
        let doctor = principal(.doctor, doctor: self.doctor)
        func may(_ consents: [ConsentGrant]) -> Bool { AccessPolicy.mayReadPatientData(doctor, patient: patient, consents: consents, at: now) }
        #expect(!may([]))
        #expect(may([consent(.approved)]))
        #expect(may([consent(.approved, expires: now.addingTimeInterval(1))]))
        #expect(!may([consent(.approved, expires: now)]), "access ends at expiry, with no write")
        for status in [ConsentStatus.pending, .denied, .revoked] { #expect(!may([consent(status)])) }
        #expect(!may([consent(.approved, patient: otherPatient)]))
        let stranger = principal(.doctor, doctor: Doctor.ID(UUID()))
        #expect(!AccessPolicy.mayReadPatientData(stranger, patient: patient, consents: [consent(.approved)], at: now))
    }

    @Test func administratorsNeverReadClinicalData() {
        for role in [UserRole.hospitalAdmin, .systemAdmin] {
            #expect(!AccessPolicy.mayReadPatientData(principal(role, hospital: hospital), patient: patient, consents: [consent(.approved)], at: now))
        }
    }

    @Test func logsGoToThePatientTheFacilityAndSystemAdmins() {
        #expect(AccessPolicy.mayReadAccessLog(principal(.patient, patient: patient), patient: patient))
        #expect(!AccessPolicy.mayReadAccessLog(principal(.patient, patient: otherPatient), patient: patient))
        #expect(AccessPolicy.mayReadAccessLog(principal(.systemAdmin), patient: patient))
        #expect(!AccessPolicy.mayReadAccessLog(principal(.doctor, doctor: doctor), patient: patient))
        #expect(!AccessPolicy.mayReadAccessLog(principal(.hospitalAdmin, hospital: hospital), patient: patient))
        #expect(AccessPolicy.mayReadFacilityAudit(principal(.hospitalAdmin, hospital: hospital), hospital: hospital))
        #expect(!AccessPolicy.mayReadFacilityAudit(principal(.hospitalAdmin, hospital: Hospital.ID(UUID())), hospital: hospital))
        #expect(!AccessPolicy.mayReadFacilityAudit(principal(.doctor, doctor: doctor, hospital: hospital), hospital: hospital))
        #expect(AccessPolicy.mayReadAllAudit(principal(.systemAdmin)))
        #expect(!AccessPolicy.mayReadAllAudit(principal(.hospitalAdmin, hospital: hospital)))
    }

    @Test func onlyAHospitalsOwnAdminsAdministerIt() {
        #expect(AccessPolicy.mayAdministerHospital(principal(.hospitalAdmin, hospital: hospital), hospital: hospital))
        #expect(!AccessPolicy.mayAdministerHospital(principal(.hospitalAdmin, hospital: Hospital.ID(UUID())), hospital: hospital))
        #expect(!AccessPolicy.mayAdministerHospital(principal(.doctor, hospital: hospital), hospital: hospital))
        #expect(!AccessPolicy.mayAdministerHospital(principal(.systemAdmin), hospital: hospital))
    }

    /// Status only moves up; any consent that has ever been denied or revoked grants nothing.
    @Test func consentStatusOrderIsTheMaxRegistersOrder() {
        #expect(ConsentStatus.allCases.sorted() == [.pending, .approved, .denied, .revoked])
        #expect(ConsentStatus.allCases.filter { consent($0).isInForce(at: now) } == [.approved])
    }
}

@Suite struct DoctorPatientStatusTests {
    func admission(_ severity: Admission.Severity, _ status: Admission.Status = .admitted) -> Admission {
        Admission(
            id: Admission.ID(UUID()), hospitalID: Hospital.ID(UUID()), patientID: Patient.ID(UUID()), doctorID: nil, condition: "x",
            severity: severity, department: nil, status: status, admittedAt: Date(), dischargedAt: nil, dischargeSummary: nil, followUp: nil
        )
    }

    @Test func theStatusFollowsTheConsentThenTheCurrentAdmission() {
        #expect(DoctorPatientStatus(consentInForce: false, currentAdmission: admission(.critical)) == .locked)
        #expect(DoctorPatientStatus(consentInForce: true, currentAdmission: nil) == .active)
        #expect(DoctorPatientStatus(consentInForce: true, currentAdmission: admission(.low)) == .stable)
        #expect(DoctorPatientStatus(consentInForce: true, currentAdmission: admission(.medium)) == .stable)
        #expect(DoctorPatientStatus(consentInForce: true, currentAdmission: admission(.high)) == .monitoring)
        #expect(DoctorPatientStatus(consentInForce: true, currentAdmission: admission(.critical)) == .critical)
        #expect(DoctorPatientStatus(consentInForce: true, currentAdmission: admission(.critical, .discharged)) == .active)
    }
}
