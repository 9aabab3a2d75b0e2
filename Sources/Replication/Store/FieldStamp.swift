import Foundation

/// Who wrote a value and when: the total order of last-writer-wins, `(hlc, node)`.
public struct FieldStamp: Hashable, Comparable, Sendable {
    public let hlc: HLCTimestamp
    public let node: NodeID

    /// The stamp of a value no write has set (a column added after its row was written).
    public static let initial = FieldStamp(hlc: .zero, node: NodeID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))))

    public init(hlc: HLCTimestamp, node: NodeID) {
        self.hlc = hlc
        self.node = node
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.hlc != rhs.hlc ? lhs.hlc < rhs.hlc : lhs.node < rhs.node
    }
}
