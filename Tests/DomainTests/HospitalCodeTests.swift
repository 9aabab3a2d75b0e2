import Testing
@testable import Domain

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct HospitalCodeTests {
    @Test func randomCodesHaveTheContractShape() {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<200 {
            let code = HospitalCode.random(using: &generator).value
            #expect(code.count == 9)
            #expect(code.hasPrefix("HC-"))
            #expect(code.dropFirst(3).allSatisfy { $0.isUppercase || $0.isNumber })
        }
    }

    @Test func sameSeedSameCode() {
        var a = SeededGenerator(state: 7), b = SeededGenerator(state: 7)
        #expect(HospitalCode.random(using: &a) == HospitalCode.random(using: &b))
    }

    @Test(arguments: ["HC-b2631d", "HC-B2631D"]) func parsesAnyCase(raw: String) {
        #expect(HospitalCode(raw)?.value == "HC-B2631D")
    }

    @Test(arguments: ["", "HC-", "HC-ABCDE", "HC-ABCDEFG", "XX-ABCDEF", "HC-ABC$EF"]) func rejectsMalformed(raw: String) {
        #expect(HospitalCode(raw) == nil)
    }
}

@Suite struct EmailAddressTests {
    @Test(arguments: ["a@b.co", "Hospital1@Gmail.com"]) func accepts(raw: String) {
        #expect(EmailAddress(raw)?.value == raw.lowercased())
    }

    @Test(arguments: ["", "a", "a@b", "@b.com", "a@.com", "a b@c.com", "a@b@c.com"]) func rejects(raw: String) {
        #expect(EmailAddress(raw) == nil)
    }
}
