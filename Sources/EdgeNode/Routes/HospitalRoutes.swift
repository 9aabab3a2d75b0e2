import Domain
import Hummingbird

/// `/hospitals`: the facility directory.
struct HospitalRoutes {
    let directory: HospitalDirectory

    func register(on authenticated: RouterGroup<EdgeRequestContext>) {
        authenticated.get("hospitals", use: list)
        authenticated.get("hospitals/search", use: search)
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> [HospitalSummary] {
        _ = try context.requirePrincipal()
        return try await directory.all().map(HospitalSummary.init)
    }

    @Sendable func search(_ request: Request, context: EdgeRequestContext) async throws -> [HospitalSummary] {
        _ = try context.requirePrincipal()
        let query = try HospitalSearch.query(request.uri.queryParameters.get("query"))
        return try await directory.search(query).map(HospitalSummary.init)
    }
}

/// A directory entry: the contract's search fields plus the facility type.
struct HospitalSummary: ResponseEncodable {
    let id: String
    let name: String
    let hospitalCode: String
    let city: String
    let state: String
    let facilityType: String

    init(_ hospital: Hospital) {
        id = hospital.id.description
        name = hospital.name
        hospitalCode = hospital.code.value
        city = hospital.address.city
        state = hospital.address.state
        facilityType = hospital.facilityType.rawValue
    }
}
