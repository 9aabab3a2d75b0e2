import Foundation

/// Converts a sample's value from the unit the client sent to its type's canonical unit
/// (`MetricType.unit`). HealthKit's unit strings and their common variants are understood; a
/// missing unit means the canonical one.
public enum MetricUnit {
    /// A conversion of values to a type's canonical unit.
    public typealias Converter = @Sendable (Double) -> Double

    /// The value in the canonical unit, or `nil` when the unit does not measure this type.
    public static func canonical(_ value: Double, unit: String?, for type: MetricType) -> Double? {
        converter(unit: unit, for: type).map { $0(value) }
    }

    /// How values in `unit` become the type's canonical unit; `nil` when the unit does not measure it.
    public static func converter(unit: String?, for type: MetricType) -> Converter? {
        let unit = (unit ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if unit.isEmpty || unit == type.unit.lowercased() {
            // HealthKit writes oxygen saturation in "%" as a fraction (0.97).
            return type == .bloodOxygen ? percent : identity
        }
        return conversions[type.unit]?[unit]
    }

    private static let identity: Converter = { $0 }
    private static let percent: Converter = { $0 > 0 && $0 <= 1 ? $0 * 100 : $0 }

    private static let conversions: [String: [String: @Sendable (Double) -> Double]] = [
        "bpm": ["count/min": { $0 }, "beats/min": { $0 }, "/min": { $0 }, "count/s": { $0 * 60 }],
        "ms": ["s": { $0 * 1000 }],
        "count": ["": { $0 }, "steps": { $0 }],
        "kcal": ["cal": { $0 }, "kilocalories": { $0 }, "kj": { $0 / 4.184 }, "j": { $0 / 4184 }],
        "km": ["m": { $0 / 1000 }, "mi": { $0 * 1.609344 }, "ft": { $0 * 0.0003048 }, "yd": { $0 * 0.0009144 }, "cm": { $0 / 100_000 }],
        "mL/kg/min": ["ml/(kg*min)": { $0 }, "ml/kg/min": { $0 }, "ml/min·kg": { $0 }, "ml/(kg·min)": { $0 }],
        "%": ["percent": { $0 }, "fraction": { $0 * 100 }],
        "breaths/min": ["count/min": { $0 }, "/min": { $0 }],
        "degC": ["°c": { $0 }, "c": { $0 }, "degf": { ($0 - 32) * 5 / 9 }, "°f": { ($0 - 32) * 5 / 9 }, "f": { ($0 - 32) * 5 / 9 }],
        "mmHg": ["mmhg": { $0 }],
        "kg": ["lb": { $0 * 0.45359237 }, "lbs": { $0 * 0.45359237 }, "g": { $0 / 1000 }, "st": { $0 * 6.35029318 }],
        "hours": ["h": { $0 }, "hr": { $0 }, "min": { $0 / 60 }, "s": { $0 / 3600 }],
    ]
}
