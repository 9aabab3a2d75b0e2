import Foundation

/// A request for a patient's records held by a facility that is not on the network yet
/// (`POST /patients/lookup-records`), found by the patient's Aadhaar UID.
public struct RecordLookupForm: Sendable, Decodable {
    public var aadharUid: String?
    public var facilityName: String?

    public init() {}
}

/// A validated record lookup.
public struct RecordLookup: Sendable {
    public let aadharUID: String
    public let facilityName: String

    public init(validating form: RecordLookupForm) throws(DomainError) {
        var check = Validator()
        let uid = check.text("aadhar_uid", form.aadharUid, maxLength: 64).lowercased()
        if !uid.isEmpty, uid.count != 64 || !uid.allSatisfy(\.isHexDigit) {
            check.fail("aadhar_uid", "must be the 64-character hex UID from the patient's account")
        }
        facilityName = check.text("facility_name", form.facilityName)
        try check.check()
        aadharUID = uid
    }
}
