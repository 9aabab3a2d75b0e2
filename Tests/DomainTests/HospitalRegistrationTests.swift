import Testing
@testable import Domain

@Suite struct HospitalRegistrationTests {
    func validForm() -> HospitalRegistrationForm {
        var form = HospitalRegistrationForm()
        form.email = "  Admin@Hospital.com "
        form.password = "SecurePass123!"
        form.name = "City General Hospital"
        form.phonePrimary = "+911234567890"
        form.addressLine1 = "Hospital Road"
        form.city = "Bangalore"
        form.state = "Karnataka"
        form.postalCode = "560001"
        form.facilityType = "MULTI_SPECIALTY_HOSPITAL"
        form.totalBeds = 500
        return form
    }

    @Test func acceptsTheContractPayloadAndNormalisesEmail() throws {
        let registration = try HospitalRegistration(validating: validForm())
        #expect(registration.email.value == "admin@hospital.com")
        #expect(registration.facilityType == .multiSpecialtyHospital)
        #expect(registration.capacity.totalBeds == 500)
        #expect(registration.address.country == "India")
    }

    @Test func listsEveryOffendingField() {
        var form = validForm()
        form.email = "not-an-email"
        form.password = "short"
        form.name = "   "
        form.facilityType = "CASTLE"
        form.totalBeds = -1
        #expect(throws: DomainError.self) { try HospitalRegistration(validating: form) }
        do {
            _ = try HospitalRegistration(validating: form)
        } catch {
            guard case .invalid(let issues) = error else { Issue.record("expected invalid"); return }
            #expect(Set(issues.map(\.field)) == ["email", "password", "name", "facility_type", "total_beds"])
        }
    }

    @Test func missingFieldsAreRequired() {
        do {
            _ = try HospitalRegistration(validating: HospitalRegistrationForm())
            Issue.record("expected a validation error")
        } catch {
            guard case .invalid(let issues) = error else { Issue.record("expected invalid"); return }
            let fields = Set(issues.map(\.field))
            #expect(fields.isSuperset(of: ["email", "password", "name", "phone_primary", "city", "state", "postal_code"]))
            #expect(issues.allSatisfy { $0.message == "is required" })
        }
    }

    @Test func demoHospitalsAreValidRegistrations() {
        let codes = DemoHospitals.all.map(\.code)
        #expect(codes == ["HC-B2631D", "HC-L9MLES", "HC-E8O2O2", "HC-JXOTB9", "HC-A1NRS2"])
        for entry in DemoHospitals.all {
            #expect(HospitalCode(entry.code) != nil)
            #expect(DemoHospitals.registration(entry).email.value == entry.email)
        }
    }
}
