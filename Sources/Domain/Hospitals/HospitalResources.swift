import Foundation

/// What a facility has on hand right now (the contract's `PUT /hospitals/{id}/resources`).
public struct HospitalResources: Sendable, Equatable, Codable {
    public var totalBeds: Int
    public var availableBeds: Int
    public var oxygenCylinders: Int
    public var ventilators: Int
    public var ambulances: Int
    public var bloodBags: Int

    public init(totalBeds: Int, availableBeds: Int, oxygenCylinders: Int, ventilators: Int, ambulances: Int, bloodBags: Int) {
        self.totalBeds = totalBeds
        self.availableBeds = availableBeds
        self.oxygenCylinders = oxygenCylinders
        self.ventilators = ventilators
        self.ambulances = ambulances
        self.bloodBags = bloodBags
    }

    /// Nothing declared yet.
    public static let none = HospitalResources(totalBeds: 0, availableBeds: 0, oxygenCylinders: 0, ventilators: 0, ambulances: 0, bloodBags: 0)

    /// The sum of several facilities' resources (the hub's totals).
    public static func total(_ all: [HospitalResources]) -> HospitalResources {
        all.reduce(.none) { sum, next in
            HospitalResources(
                totalBeds: sum.totalBeds + next.totalBeds, availableBeds: sum.availableBeds + next.availableBeds,
                oxygenCylinders: sum.oxygenCylinders + next.oxygenCylinders, ventilators: sum.ventilators + next.ventilators,
                ambulances: sum.ambulances + next.ambulances, bloodBags: sum.bloodBags + next.bloodBags
            )
        }
    }
}

/// The raw resources update, as a client sends it (every field optional until validated).
public struct HospitalResourcesForm: Sendable, Decodable {
    public var totalBeds: Int?
    public var availableBeds: Int?
    public var oxygenCylinders: Int?
    public var ventilators: Int?
    public var ambulances: Int?
    public var bloodBags: Int?

    public init() {}
}

extension HospitalResources {
    /// Validates a full update: every count present, none negative, no more beds available than exist.
    public init(validating form: HospitalResourcesForm) throws(DomainError) {
        var check = Validator()
        func required(_ field: String, _ value: Int?) -> Int {
            guard let value else {
                check.fail(field, "is required")
                return 0
            }
            return check.count(field, value, in: 0...10_000_000) ?? 0
        }
        self.init(
            totalBeds: required("total_beds", form.totalBeds), availableBeds: required("available_beds", form.availableBeds),
            oxygenCylinders: required("oxygen_cylinders", form.oxygenCylinders), ventilators: required("ventilators", form.ventilators),
            ambulances: required("ambulances", form.ambulances), bloodBags: required("blood_bags", form.bloodBags)
        )
        if availableBeds > totalBeds { check.fail("available_beds", "must not exceed total_beds") }
        try check.check()
    }
}
