import Domain
import Foundation
import Replication

/// Ids that every node derives the same way, so rows created independently on two replicas are
/// one row: an account per email, a demo hospital per code.
enum StableIDs {
    private static let userNamespace = UUID(uuidString: "3d7e7c2a-5b7f-4c36-9a35-0c1f6f0e5a11")!
    private static let hospitalNamespace = UUID(uuidString: "8a1c2f64-1f0e-4b9e-b2a4-6f3e9d2c7b42")!

    static func user(email: EmailAddress) -> User.ID {
        User.ID(RowIDs.nameBased(namespace: userNamespace, name: email.value))
    }

    static func demoHospital(code: HospitalCode) -> Hospital.ID {
        Hospital.ID(RowIDs.nameBased(namespace: hospitalNamespace, name: code.value))
    }
}
