import Foundation

/// A JSON Schema (the subset OpenAPI 3.1 documents here use), built in Swift and rendered as JSON.
indirect enum JSONSchema: Sendable {
    case string
    case formatted(String)
    case oneOf([String])
    case integer
    case number
    case boolean
    case array(JSONSchema)
    /// An object; `required` lists the keys a client must send.
    case object([(String, JSONSchema)], required: [String] = [])
    /// Free-form JSON.
    case any
    /// A named schema in `components/schemas`.
    case reference(String)
    case nullable(JSONSchema)

    /// The schema as a JSON value.
    var json: JSONValue {
        switch self {
        case .string: ["type": "string"]
        case .formatted(let format): ["type": "string", "format": .string(format)]
        case .oneOf(let values): ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case .integer: ["type": "integer"]
        case .number: ["type": "number"]
        case .boolean: ["type": "boolean"]
        case .array(let items): ["type": "array", "items": items.json]
        case .object(let properties, let required):
            .object(
                [("type", "object"), ("properties", .object(properties.map { ($0.0, $0.1.json) }))]
                    + (required.isEmpty ? [] : [("required", .array(required.map(JSONValue.string)))])
            )
        case .any: .object([])
        case .reference(let name): ["$ref": .string("#/components/schemas/\(name)")]
        case .nullable(let schema): ["anyOf": [schema.json, ["type": "null"]]]
        }
    }
}

/// A JSON value whose objects keep their keys in the order written (readable documents).
enum JSONValue: Sendable, ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    case string(String)
    case number(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])

    init(stringLiteral value: String) { self = .string(value) }
    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Compact JSON text.
    var text: String {
        switch self {
        case .string(let value): Self.quoted(value)
        case .number(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { Self.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
