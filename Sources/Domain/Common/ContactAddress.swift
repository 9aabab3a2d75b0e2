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
