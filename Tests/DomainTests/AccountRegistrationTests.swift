import Domain
import Testing

@Suite struct PatientRegistrationTests {
    static let today = CalendarDate("2026-11-23")!

    static func form() -> PatientRegistrationForm {
        var form = PatientRegistrationForm()
        form.email = "Patient@Example.com"
        form.password = "SecurePass123!"
        form.aadharNumber = "2345 6789 0124"
        form.firstName = " John "
        form.lastName = "Doe"
        form.dateOfBirth = "1990-01-15"
        form.gender = "MALE"
        form.bloodGroup = "O_POSITIVE"
        form.phonePrimary = "+919876543210"
        form.emergencyContactName = "Jane Doe"
        form.emergencyContactPhone = "+919876543211"
        form.emergencyContactRelation = "Spouse"
        form.city = "Mumbai"
        return form
    }

    @Test func theContractsExampleShapeValidates() throws {
        let registration = try PatientRegistration(validating: Self.form(), today: Self.today)
        #expect(registration.email.value == "patient@example.com")
        #expect(registration.aadhaar.digits == "234567890124")
        #expect(registration.firstName == "John")
        #expect(registration.dateOfBirth.years(until: Self.today) == 36)
        #expect(registration.bloodGroup == .oPositive)
        #expect(registration.emergencyContact == EmergencyContact(name: "Jane Doe", phone: "+919876543211", relation: "Spouse"))
        #expect(registration.address.city == "Mumbai" && registration.address.line1 == nil)
    }

    @Test func everyOffendingFieldIsListed() {
        var form = Self.form()
        form.aadharNumber = "123456789012"
        form.dateOfBirth = "2027-01-01"
        form.gender = "male"
        form.bloodGroup = "O+"
        form.emergencyContactPhone = nil
        form.password = "short"
        #expect {
            try PatientRegistration(validating: form, today: Self.today)
        } throws: { error in
            guard case DomainError.invalid(let issues) = error else { return false }
            return Set(issues.map(\.field)) == [
                "aadhar_number", "date_of_birth", "gender", "blood_group", "emergency_contact_phone", "password",
            ]
        }
    }

    @Test func datesOfBirthAreCalendarDates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("1990-1-15") == nil)
        #expect(CalendarDate("1990-13-01") == nil)
        var check = Validator()
        #expect(check.pastDate("date_of_birth", "1870-01-01", today: Self.today, maxYears: 150) == nil)
        #expect(check.pastDate("date_of_birth", "2026-11-23", today: Self.today, maxYears: 150) != nil)
    }
}

@Suite struct DoctorRegistrationTests {
    @Test func theContractsExampleValidatesAndNormalisesTheLicence() throws {
        var form = DoctorRegistrationForm()
        form.email = "doctor@example.com"
        form.password = "SecurePass123!"
        form.medicalLicenseNo = "mci-12345-2015"
        form.firstName = "Dr. Sarah"
        form.lastName = "Smith"
        form.phonePrimary = "+919123456789"
        form.hospitalCode = "HC-AB12CD"
        form.qualifications = ["MBBS", "MD", "DM"]
        form.experienceYears = 10
        form.consultationFee = 1500
        let registration = try DoctorRegistration(validating: form)
        #expect(registration.license.value == "MCI-12345-2015")
        #expect(registration.hospitalCode?.value == "HC-AB12CD")
        #expect(registration.qualifications == ["MBBS", "MD", "DM"])
        #expect(MedicalLicense(" Mci-12345-2015 ") == registration.license)
        #expect(MedicalLicense("MCI 12345") == MedicalLicense("MCI12345"))
    }

    @Test func badFieldsAreListed() {
        var form = DoctorRegistrationForm()
        form.email = "doctor@example.com"
        form.password = "SecurePass123!"
        form.medicalLicenseNo = "x"
        form.hospitalCode = "AB12CD"
        form.experienceYears = -1
        form.consultationFee = -5
        #expect {
            try DoctorRegistration(validating: form)
        } throws: { error in
            guard case DomainError.invalid(let issues) = error else { return false }
            return Set(issues.map(\.field)) == [
                "medical_license_no", "first_name", "last_name", "phone_primary", "hospital_code", "experience_years", "consultation_fee",
            ]
        }
    }

    @Test func docAssistNeedsANameAndAnEightCharacterPassword() throws {
        var form = DocAssistRegistrationForm()
        form.email = "doctor@example.com"
        form.password = "1234567"
        #expect {
            try DocAssistRegistration(validating: form)
        } throws: { error in
            guard case DomainError.invalid(let issues) = error else { return false }
            return Set(issues.map(\.field)) == ["password", "name"]
        }
        form.password = "12345678"
        form.name = "Dr. John Doe"
        form.licenseNumber = "MH-12345"
        let registration = try DocAssistRegistration(validating: form)
        #expect(registration.license?.value == "MH-12345" && registration.phone == nil)
    }
}
