import Foundation
import ShikakuJSON
import ShikakuTestSupport
import Testing

/// RFC 8785 (JCS), against the reference implementation's vectors (cyberphone/json-canonicalization).
@Suite(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
struct CanonicalizationTests {
    /// Every pair the folder holds, listed rather than named here, so that a vector added upstream is checked
    /// too; each input needs its output and its hex twin, and each output its input.
    @Test func canonicalizesEveryRFC8785Vector() throws {
        let inputs = try Vectors.files(in: "jcs-rfc8785/input")
        let outputs = try Vectors.files(in: "jcs-rfc8785/output")
        #expect(inputs.count >= 6, "the folder holds \(inputs)")
        #expect(inputs == outputs, "every input has its output and every output its input")
        for file in inputs {
            let name = String(file.dropLast(".json".count))
            let input = try Vectors.data("jcs-rfc8785/input/\(file)")
            let expected = try Vectors.data("jcs-rfc8785/output/\(file)")
            let hex = try String(decoding: Vectors.data("jcs-rfc8785/outhex/\(name).txt"), as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "\n" }).joined()
            let canonical = try JSONValue.parse(Array(input)).canonicalBytes
            #expect(canonical == Array(expected), "\(name)")
            #expect(Hex.string(canonical) == hex.lowercased(), "\(name)")
        }
    }

    /// Every line: the IEEE 754 bits in hex, then the ECMAScript serialisation.
    @Test func serialisesTenThousandNumbersAsECMAScriptDoes() throws {
        let text = String(decoding: try Vectors.data("jcs-rfc8785/es6-numbers-first-10000.txt"), as: UTF8.self)
        var checked = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ",")
            let bits = try #require(UInt64(parts[0], radix: 16))
            let value = Double(bitPattern: bits)
            #expect(ES6Number.format(value) == String(parts[1]), "bits \(parts[0])")
            checked += 1
        }
        #expect(checked == 10_000)
    }
}

@Suite struct CanonicalFormTests {
    @Test func sortsByUTF16CodeUnitsNotScalars() throws {
        // U+1F602 is D83D DE02 in UTF-16, so it sorts before U+FB33 although its scalar is larger.
        let value = try JSONValue.parse(#"{"\ufb33":1,"\ud83d\ude02":2,"a":3,"":4}"#)
        #expect(value.canonicalString == "{\"\":4,\"a\":3,\"\u{1F602}\":2,\"\u{FB33}\":1}")
    }

    @Test func escapesOnlyWhatJCSEscapes() throws {
        let value = JSONValue.string("\"\\\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{01}\u{1F}/\u{7F}\u{2028}é")
        #expect(value.canonicalString == #""\"\\\b\t\n\f\r\u0001\u001f/"# + "\u{7F}\u{2028}é\"")
    }

    @Test func keepsStringsUnnormalised() throws {
        let composed = JSONValue.string("\u{C5}")
        let decomposed = JSONValue.string("A\u{30A}")
        #expect(composed != decomposed)
        #expect(composed.canonicalBytes != decomposed.canonicalBytes)
        let object = try JSONValue.parse(#"{"\u00c5":1,"A\u030a":2}"#)
        #expect(object.objectValue?.count == 2)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1, "1"), (-1.5, "-1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (333333333.33333329, "333333333.3333333"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (123e-20, "1.23e-18"), (0.1, "0.1"),
    ])
    func formatsNumbers(_ value: Double, _ text: String) {
        #expect(ES6Number.format(value) == text)
    }
}
