import Foundation

/// One physical source of samples, named stably. Apple Health's `device` attribute reads like
/// `<<HKDevice: 0x283ad4a00>, name:Apple Watch, manufacturer:Apple Inc., model:Watch,
/// hardware:Watch6,1, software:10.1>`: the memory address changes with every export and the
/// software version with every update, so taken verbatim one watch looks like many sources. The
/// key keeps what identifies the device — name, manufacturer, model, hardware — and nothing else.
public enum SourceDevice {
    /// The longest device key kept.
    public static let maximumLength = 200

    /// A stable key for a client's device description or id (trimmed; HKDevice descriptions
    /// reduced to their identifying fields).
    public static func key(_ description: String) -> String {
        let trimmed = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<<HKDevice") else { return String(trimmed.prefix(maximumLength)) }
        var fields: [String: String] = [:]
        for part in trimmed.components(separatedBy: ", ") {
            let pair = part.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            fields[name] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " >"))
        }
        let kept = ["name", "manufacturer", "model", "hardware"].compactMap { fields[$0] }
        return kept.isEmpty ? "HKDevice" : String(kept.joined(separator: "|").prefix(maximumLength))
    }
}
