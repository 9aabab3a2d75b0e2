import Foundation

/// The life of a consent as pure rules: which decisions a patient may make, when a consent may be
/// revoked or deleted. Status only moves up `PENDING < APPROVED < DENIED < REVOKED`; a denied or
/// revoked consent is final — the doctor requests again (a new consent).
public enum ConsentRules {
    /// The outcome of asking to move a consent to a new status.
    public enum Transition: Equatable, Sendable {
        /// Record the new status.
        case move
        /// Already there: nothing to write.
        case unchanged
        /// Not allowed, with the reason (409).
        case refused(String)
    }

    /// Whether a consent in `current` may become `target` (the patient's decision).
    public static func transition(from current: ConsentStatus, to target: ConsentStatus) -> Transition {
        switch (current, target) {
        case _ where current == target:
            return .unchanged
        case (_, .pending):
            return .refused("A consent cannot go back to PENDING")
        case (.pending, _), (.approved, .revoked):
            return .move
        case (.approved, .denied):
            return .refused("An approved consent is revoked, not denied")
        default:  // denied or revoked
            return .refused("A \(current.rawValue) consent is final; the doctor must request access again")
        }
    }

    /// Whether the consent can still be revoked (it grants, or could grant, access).
    public static func canRevoke(_ consent: Consent, at time: Date) -> Bool {
        (consent.status == .pending || consent.status == .approved) && !consent.isExpired(at: time)
    }

    /// Whether the consent may be deleted: only a denied one, or one that has expired.
    public static func mayDelete(_ consent: Consent, at time: Date) -> Bool {
        consent.status == .denied || consent.isExpired(at: time)
    }
}
