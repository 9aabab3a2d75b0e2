import Domain
import Testing

@Suite struct VerhoeffTests {
    @Test func knownVectors() {
        #expect(Verhoeff.checkDigit(for: [2, 3, 6]) == 3)
        #expect(Verhoeff.isValid([2, 3, 6, 3]))
        #expect(Verhoeff.checkDigit(for: [1, 2, 3, 4, 5, 6, 5, 4]) == 1)
        #expect(!Verhoeff.isValid([2, 3, 6, 4]))
        #expect(!Verhoeff.isValid([]))
    }

    /// The tables are those of the scheme: checked against a reference computed from the dihedral
    /// group D5 itself (its multiplication, and the permutation's powers from its first row), on
    /// seeded random bodies — a typo in any table row would show.
    @Test func agreesWithTheSchemeDerivedFromTheDihedralGroup() {
        func multiply(_ i: Int, _ j: Int) -> Int {
            switch (i < 5, j < 5) {
            case (true, true): (i + j) % 5
            case (true, false): 5 + (i + j - 5) % 5
            case (false, true): 5 + (i - j + 5) % 5
            case (false, false): (i - j + 5) % 5
            }
        }
        let step = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]
        func permute(_ digit: Int, times: Int) -> Int { (0..<times).reduce(digit) { value, _ in step[value] } }
        func reference(_ body: [Int]) -> Int {
            let check = body.reversed().enumerated().reduce(0) { multiply($0, permute($1.element, times: ($1.offset + 1) % 8)) }
            return (0..<10).first { multiply(check, $0) == 0 }!
        }
        #expect(reference([2, 3, 6]) == 3, "the reference itself matches the textbook example")
        var generator = SeededGenerator(state: 5)
        for length in 1...15 {
            for _ in 0..<200 {
                let body = (0..<length).map { _ in Int.random(in: 0...9, using: &generator) }
                #expect(Verhoeff.checkDigit(for: body) == reference(body), "\(body)")
            }
        }
    }

    /// The scheme's guarantees, over many seeded numbers: every single-digit error of a valid
    /// number is caught, and nearly every adjacent transposition (the dihedral scheme misses about
    /// 1 % of them, at some positions).
    @Test func catchesEverySingleDigitErrorAndNearlyEveryAdjacentTransposition() {
        var transpositions = 0, missed = 0
        var generator = SeededGenerator(state: 2026)
        for _ in 0..<300 {
            let body = (0..<11).map { _ in Int(generator.next() % 10) }
            let number = body + [Verhoeff.checkDigit(for: body)]
            #expect(Verhoeff.isValid(number))
            for position in number.indices {
                for digit in 0...9 where digit != number[position] {
                    var typo = number
                    typo[position] = digit
                    #expect(!Verhoeff.isValid(typo))
                }
            }
            for position in number.indices.dropLast() where number[position] != number[position + 1] {
                var swapped = number
                swapped.swapAt(position, position + 1)
                transpositions += 1
                if Verhoeff.isValid(swapped) { missed += 1 }
            }
        }
        #expect(transpositions > 2000)
        #expect(Double(missed) / Double(transpositions) < 0.02)
    }
}

@Suite struct AadhaarNumberTests {
    static let valid = "234567890124"

    @Test func acceptsValidNumbersAsPeopleWriteThem() throws {
        #expect(Verhoeff.isValid(Self.valid.compactMap(\.wholeNumberValue)))
        #expect(AadhaarNumber(Self.valid)?.digits == Self.valid)
        #expect(AadhaarNumber("2345 6789 0124")?.digits == Self.valid)
        #expect(AadhaarNumber("2345-6789-0124")?.digits == Self.valid)
    }

    @Test func refusesWrongLengthsLettersLeadingZeroOrOneAndBadCheckDigits() {
        #expect(AadhaarNumber("23456789012") == nil)
        #expect(AadhaarNumber("2345678901245") == nil)
        #expect(AadhaarNumber("23456789012a") == nil)
        #expect(AadhaarNumber("234567890125") == nil)
        #expect(AadhaarNumber("٢٣٤٥٦٧٨٩٠١٢٤") == nil, "non-ASCII digits")
        let zero = [0] + Array(repeating: 5, count: 10)
        #expect(AadhaarNumber((zero + [Verhoeff.checkDigit(for: zero)]).map(String.init).joined()) == nil)
        let one = [1] + Array(repeating: 5, count: 10)
        #expect(AadhaarNumber((one + [Verhoeff.checkDigit(for: one)]).map(String.init).joined()) == nil)
    }

    @Test func neverPrintsTheNumber() throws {
        let number = try #require(AadhaarNumber(Self.valid))
        #expect("\(number)" == "XXXX-XXXX-0124")
        var check = Validator()
        _ = check.aadhaar("aadhar_number", "234567890125")
        #expect(check.issues.count == 1)
        #expect(!check.issues[0].message.contains("2345"))
    }
}
