/// A person's postal address (a patient's, a doctor's); every part optional.
public struct ContactAddress: Sendable, Equatable {
    public var line1: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?

    public init(line1: String?, city: String?, state: String?, postalCode: String?, country: String?) {
        self.line1 = line1
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }
}

extension Validator {
    /// An optional address, every part trimmed and bounded (the API's `address_line1`, `city`,
    /// `state`, `postal_code`, `country`).
    public mutating func contactAddress(line1: String?, city: String?, state: String?, postalCode: String?, country: String?) -> ContactAddress {
        ContactAddress(
            line1: optionalText("address_line1", line1),
            city: optionalText("city", city, maxLength: 100),
            state: optionalText("state", state, maxLength: 100),
            postalCode: optionalText("postal_code", postalCode, maxLength: 10),
            country: optionalText("country", country, maxLength: 100)
        )
    }
}
