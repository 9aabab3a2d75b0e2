/// Who is making a request: the authenticated user and the role their token carries.
public struct Principal: Sendable, Equatable {
    public let userID: User.ID
    public let role: UserRole

    public init(userID: User.ID, role: UserRole) {
        self.userID = userID
        self.role = role
    }
}
