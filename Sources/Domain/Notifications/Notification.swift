import Foundation

/// Something a doctor or a patient should know, derived at read time from consents, admissions
/// and break-glass openings (nothing is stored twice).
public struct Notification: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case consentRequested = "CONSENT_REQUESTED"
        case consentApproved = "CONSENT_APPROVED"
        case consentDenied = "CONSENT_DENIED"
        case consentRevoked = "CONSENT_REVOKED"
        case admission = "ADMISSION"
        case discharge = "DISCHARGE"
        case criticalAlert = "CRITICAL_ALERT"
        case breakGlass = "BREAK_GLASS"
    }

    public let id: String
    public let kind: Kind
    public let patientID: Patient.ID
    public let message: String
    public let at: Date

    public init(id: String, kind: Kind, patientID: Patient.ID, message: String, at: Date) {
        self.id = id
        self.kind = kind
        self.patientID = patientID
        self.message = message
        self.at = at
    }
}

/// Builds notification lists, newest first, as pure functions of the facts.
public enum Notifications {
    /// A doctor's: decisions on their consent requests, admissions and discharges of their
    /// patients, and critical admissions as alerts. `names` are patients' display names.
    public static func forDoctor(consents: [Consent], admissions: [Admission], names: [Patient.ID: String], limit: Int) -> [Notification] {
        var list: [Notification] = []
        for consent in consents {
            guard let decided = consent.decidedAt else { continue }
            let name = names[consent.patientID] ?? "A patient"
            let kind: Notification.Kind
            switch consent.status {
            case .pending: continue
            case .approved: kind = .consentApproved
            case .denied: kind = .consentDenied
            case .revoked: kind = .consentRevoked
            }
            list.append(Notification(id: "consent:\(consent.id)", kind: kind, patientID: consent.patientID,
                                     message: "\(name) \(consent.status.rawValue.lowercased()) your access request", at: decided))
        }
        list += admissionNotices(admissions, names: names)
        return newest(list, limit: limit)
    }

    /// A patient's: doctors asking for access, break-glass openings on their data, and their
    /// admissions and discharges. `doctorNames` are doctors' display names.
    public static func forPatient(
        consents: [Consent], emergencies: [EmergencyAccess], admissions: [Admission], doctorNames: [Doctor.ID: String], limit: Int
    ) -> [Notification] {
        var list: [Notification] = consents.filter { $0.status == .pending }.map { consent in
            Notification(id: "consent:\(consent.id)", kind: .consentRequested, patientID: consent.patientID,
                         message: "\(doctorNames[consent.doctorID] ?? "A doctor") asks for access to your records", at: consent.requestedAt)
        }
        list += emergencies.map { access in
            Notification(id: "break-glass:\(access.id)", kind: .breakGlass, patientID: access.patientID,
                         message: "\(doctorNames[access.doctorID] ?? "A doctor") opened emergency access to your records: \(access.reason)",
                         at: access.openedAt)
        }
        let names = Dictionary(uniqueKeysWithValues: Set(admissions.map(\.patientID)).map { ($0, "You") })
        list += admissionNotices(admissions, names: names)
        return newest(list, limit: limit)
    }

    private static func admissionNotices(_ admissions: [Admission], names: [Patient.ID: String]) -> [Notification] {
        admissions.flatMap { admission -> [Notification] in
            let name = names[admission.patientID] ?? "A patient"
            var notices = [Notification(
                id: "admission:\(admission.id)", kind: admission.severity == .critical ? .criticalAlert : .admission,
                patientID: admission.patientID, message: "\(name) admitted: \(admission.condition) (\(admission.severity.rawValue))",
                at: admission.admittedAt
            )]
            if let discharged = admission.dischargedAt {
                notices.append(Notification(id: "discharge:\(admission.id)", kind: .discharge, patientID: admission.patientID,
                                            message: "\(name) discharged", at: discharged))
            }
            return notices
        }
    }

    private static func newest(_ list: [Notification], limit: Int) -> [Notification] {
        Array(list.sorted { ($0.at, $0.id) > ($1.at, $1.id) }.prefix(limit))
    }
}
