/// The five demo hospitals of the API contract, with their admin logins.
public enum DemoHospitals {
    /// The password every demo hospital admin logs in with.
    public static let password = "passme@123"

    public struct Entry: Sendable {
        public let name: String
        public let email: String
        public let code: String
        public let city: String
        public let addressLine1: String
        public let postalCode: String
        public let totalBeds: Int
    }

    public static let all: [Entry] = [
        Entry(name: "Apollo Hospital Bangalore", email: "hospital1@gmail.com", code: "HC-B2631D",
              city: "Bangalore", addressLine1: "154 Bannerghatta Road", postalCode: "560076", totalBeds: 250),
        Entry(name: "Manipal Hospital Whitefield", email: "hospital2@gmail.com", code: "HC-L9MLES",
              city: "Bangalore", addressLine1: "ITPL Main Road, Whitefield", postalCode: "560066", totalBeds: 280),
        Entry(name: "Fortis Hospital Bangalore", email: "hospital3@gmail.com", code: "HC-E8O2O2",
              city: "Bangalore", addressLine1: "154/9 Bannerghatta Road", postalCode: "560076", totalBeds: 276),
        Entry(name: "Columbia Asia Hospital Hebbal", email: "hospital4@gmail.com", code: "HC-JXOTB9",
              city: "Bangalore", addressLine1: "Kirloskar Business Park, Hebbal", postalCode: "560024", totalBeds: 150),
        Entry(name: "Sakra World Hospital", email: "hospital5@gmail.com", code: "HC-A1NRS2",
              city: "Bangalore", addressLine1: "Devarabeesanahalli, Outer Ring Road", postalCode: "560103", totalBeds: 300),
    ]

    /// The validated registration of a demo entry, as if its admin had signed up.
    public static func registration(_ entry: Entry) -> HospitalRegistration {
        var form = HospitalRegistrationForm()
        form.email = entry.email
        form.password = password
        form.name = entry.name
        form.phonePrimary = "+918000000000"
        form.addressLine1 = entry.addressLine1
        form.city = entry.city
        form.state = "Karnataka"
        form.postalCode = entry.postalCode
        form.facilityType = FacilityType.multiSpecialtyHospital.rawValue
        form.totalBeds = entry.totalBeds
        form.hasEmergency = true
        form.hasAmbulance = true
        form.hasPharmacy = true
        form.hasLab = true
        return try! HospitalRegistration(validating: form)
    }
}
