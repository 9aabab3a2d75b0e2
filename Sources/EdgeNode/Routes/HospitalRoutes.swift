import Domain
import Foundation
import Hummingbird

/// `/hospitals`: the facility directory and each facility's resources.
struct HospitalRoutes {
    let directory: HospitalDirectory
    let resources: HospitalResourcesRepository
    let doctors: DoctorRepository
    let doctorHospitals: DoctorHospitalRepository
    /// The facility this node serves (from its certificate), if it is a provisioned hospital node: a
    /// facility's resources are updated at its own nodes, whose pushes the hub accepts (and at the
    /// hub itself, which serves no single facility).
    let facility: HospitalCode?

    func register(on api: RouteRegistrar) {
        let tag = "Hospitals"
        let summaries = JSONSchema.array(APISchemas.named("HospitalSummary"))
        api.add(.get, "hospitals", tag, "Every hospital of the network", access: .signedIn, documented: {
            $0.success = (200, summaries)
        }, use: list)
        api.add(.get, "hospitals/search", tag, "Search hospitals by name, city or code", access: .signedIn, documented: {
            $0.query = [.init(name: "query", description: "Part of a name, city or hospital code", required: true)]
            $0.success = (200, summaries)
        }, use: search)
        api.add(.get, "hospitals/{hospital_id}/profile", tag, "A hospital's profile", access: .signedIn, documented: {
            $0.success = (200, APISchemas.named("HospitalProfile"))
        }, use: profile)
        api.add(.get, "hospitals/{hospital_id}/doctors", tag, "The doctors who work at a hospital", access: .signedIn, documented: {
            $0.success = (200, .array(APISchemas.named("DoctorProfile")))
        }, use: hospitalDoctors)
        api.add(.get, "hospitals/{hospital_id}/doctors/pending", tag, "Doctors who asked to work here, awaiting approval (its admins)",
                access: .roles([.hospitalAdmin]), documented: { $0.success = (200, .array(APISchemas.named("DoctorProfile"))) }, use: pendingDoctors)
        api.add(.post, "hospitals/{hospital_id}/doctors/{doctor_id}/approve", tag, "Approve a doctor's link to this hospital (its admins)",
                access: .roles([.hospitalAdmin]), documented: { $0.success = (204, nil) }, use: approveDoctor)
        api.add(.get, "hospitals/{hospital_id}/resources", tag, "A hospital's current resources", access: .signedIn, documented: {
            $0.success = (200, APISchemas.named("HospitalResources"))
        }, use: showResources)
        api.add(.put, "hospitals/{hospital_id}/resources", tag, "Update a hospital's resources (its own administrators, at its own nodes)",
                access: .roles([.hospitalAdmin]), documented: {
            $0.body = APISchemas.named("HospitalResources"); $0.success = (200, APISchemas.named("HospitalResources"))
        }, use: updateResources)
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

    /// `GET /hospitals/{id}/resources`: any signed-in user (referrals need to know where beds are).
    @Sendable func showResources(_ request: Request, context: EdgeRequestContext) async throws -> ResourcesResponse {
        _ = try context.requirePrincipal()
        let hospital = try await hospital(context)
        let (current, updatedAt) = try await resources.resources(of: hospital.id)
        return ResourcesResponse(hospitalId: hospital.id.description, current, updatedAt: updatedAt)
    }

    /// `PUT /hospitals/{id}/resources`: that hospital's admins only, at that facility's nodes.
    @Sendable func updateResources(_ request: Request, context: EdgeRequestContext) async throws -> ResourcesResponse {
        let principal = try context.requirePrincipal()
        let hospital = try await hospital(context)
        guard AccessPolicy.mayAdministerHospital(principal, hospital: hospital.id) else {
            throw APIError.forbidden("Only this hospital's administrators may update its resources")
        }
        if let facility, facility != hospital.code {
            throw APIError(status: .forbidden, code: "wrong_facility", detail: "This node serves \(facility); update \(hospital.code)'s resources at its own nodes")
        }
        var request = request
        let update = try HospitalResources(validating: try await request.decodeJSON(as: HospitalResourcesForm.self, context: context))
        let updatedAt = try await resources.update(update, of: hospital.id, by: principal.userID)
        return ResourcesResponse(hospitalId: hospital.id.description, update, updatedAt: updatedAt)
    }

    /// `GET /hospitals/{id}/profile`: the facility's public record.
    @Sendable func profile(_ request: Request, context: EdgeRequestContext) async throws -> HospitalProfilePayload {
        HospitalProfilePayload(try await hospital(context))
    }

    /// `GET /hospitals/{id}/doctors`: the approved doctors' professional profiles, no contact details.
    @Sendable func hospitalDoctors(_ request: Request, context: EdgeRequestContext) async throws -> [DoctorProfilePayload] {
        try await doctorList(try await hospital(context), approved: true)
    }

    @Sendable func pendingDoctors(_ request: Request, context: EdgeRequestContext) async throws -> [DoctorProfilePayload] {
        let hospital = try await hospital(context)
        guard AccessPolicy.mayAdministerHospital(try context.requirePrincipal(), hospital: hospital.id) else {
            throw APIError.forbidden("Only this hospital's administrators approve its doctors")
        }
        return try await doctorList(hospital, approved: false)
    }

    @Sendable func approveDoctor(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let hospital = try await hospital(context)
        guard AccessPolicy.mayAdministerHospital(principal, hospital: hospital.id) else {
            throw APIError.forbidden("Only this hospital's administrators approve its doctors")
        }
        let doctor = try context.pathID("doctor_id", of: Doctor.self, name: "doctor")
        try await doctorHospitals.approve(doctor, at: hospital.id, principal: principal, clientAddress: context.remoteAddress)
        return Response(status: .noContent)
    }

    private func doctorList(_ hospital: Hospital, approved: Bool) async throws -> [DoctorProfilePayload] {
        var list: [DoctorProfilePayload] = []
        for id in try await doctorHospitals.doctors(at: hospital.id, approved: approved) {
            guard let doctor = try await doctors.doctor(id: id) else { continue }
            list.append(DoctorProfilePayload(doctor, hospital: hospital, withContact: false))
        }
        return list.sorted { ($0.lastName, $0.firstName, $0.id) < ($1.lastName, $1.firstName, $1.id) }
    }

    private func hospital(_ context: EdgeRequestContext) async throws -> Hospital {
        try await Self.hospital(context, in: directory)
    }

    /// The hospital the path's `hospital_id` names; 404 when unknown.
    static func hospital(_ context: EdgeRequestContext, in directory: HospitalDirectory) async throws -> Hospital {
        guard let hospital = try await directory.hospital(id: try context.pathID("hospital_id", of: Hospital.self, name: "hospital")) else {
            throw APIError.notFound("No such hospital")
        }
        return hospital
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

/// A facility's resources as the API shows them: the counts, whose hospital, and when updated.
struct ResourcesResponse: ResponseEncodable {
    let hospitalId: String
    let resources: HospitalResources
    let updatedAt: String?

    init(hospitalId: String, _ resources: HospitalResources, updatedAt: Date?) {
        self.hospitalId = hospitalId
        self.resources = resources
        self.updatedAt = updatedAt.map(Timestamps.api)
    }

    private enum CodingKeys: String, CodingKey {
        case hospitalId, updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        try resources.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hospitalId, forKey: .hospitalId)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A hospital's profile: the sign-up record, without its admin account.
struct HospitalProfilePayload: ResponseEncodable {
    let id: String
    let hospitalCode: String
    let name: String
    let facilityType: String
    let email: String
    let phonePrimary: String
    let phoneEmergency: String?
    let addressLine1: String
    let city: String
    let state: String
    let postalCode: String
    let country: String
    let totalBeds: Int
    let icuBeds: Int
    let emergencyBeds: Int
    let operationTheatres: Int
    let hasEmergency: Bool
    let hasAmbulance: Bool
    let hasPharmacy: Bool
    let hasLab: Bool
    let hasBloodBank: Bool

    init(_ hospital: Hospital) {
        id = hospital.id.description
        hospitalCode = hospital.code.value
        name = hospital.name
        facilityType = hospital.facilityType.rawValue
        email = hospital.email.value
        phonePrimary = hospital.phonePrimary
        phoneEmergency = hospital.phoneEmergency
        addressLine1 = hospital.address.line1
        city = hospital.address.city
        state = hospital.address.state
        postalCode = hospital.address.postalCode
        country = hospital.address.country
        totalBeds = hospital.capacity.totalBeds
        icuBeds = hospital.capacity.icuBeds
        emergencyBeds = hospital.capacity.emergencyBeds
        operationTheatres = hospital.capacity.operationTheatres
        hasEmergency = hospital.services.emergency
        hasAmbulance = hospital.services.ambulance
        hasPharmacy = hospital.services.pharmacy
        hasLab = hospital.services.lab
        hasBloodBank = hospital.services.bloodBank
    }
}
