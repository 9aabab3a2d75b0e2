import Foundation

/// The identity of one replica (one node's database). Orders by its lowercase string form,
/// which is how LWW ties between equal clock readings are broken.
public struct NodeID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID
    /// The lowercase string form, kept because stamps are compared and stored by it constantly.
    public let description: String

    public init(_ uuid: UUID) {
        self.uuid = uuid
        description = uuid.uuidString.lowercased()
    }

    public init?(_ string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.init(uuid)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.uuid == rhs.uuid }
    public func hash(into hasher: inout Hasher) { hasher.combine(uuid) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let id = NodeID(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a node id")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
