import Foundation

/// Converts a sample's value from the unit the client sent to its type's canonical unit
/// (`MetricType.unit`). HealthKit's unit strings and their common variants are understood; a
/// missing unit means the canonical one.
public enum MetricUnit {
    /// The value in the canonical unit, or `nil` when the unit does not measure this type.
    public static func canonical(_ value: Double, unit: String?, for type: MetricType) -> Double? {
        let unit = (unit ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if unit.isEmpty || unit == type.unit.lowercased() { return percentFix(value, type) }
        guard let factor = conversions[type.unit]?[unit] else { return nil }
        return factor(value)
    }

    /// HealthKit writes oxygen saturation in "%" as a fraction (0.97).
    private static func percentFix(_ value: Double, _ type: MetricType) -> Double {
        type == .bloodOxygen && value > 0 && value <= 1 ? value * 100 : value
    }

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
