import ShikakuCrypto
import Testing

@testable import ShikakuModel

/// Synthetic numbers from reference/qualifications.md §3a (never real people's).
@Suite struct MyNumberTests {
    static let secret = SecretBytes(copying: Array("registry secret for tests".utf8))

    static func number(_ text: String) throws(ModelError) -> MyNumber { try MyNumber(SecretBytes(copying: Array(text.utf8))) }

    @Test(arguments: ["123456789018", "987654321093", "200000000000", "1234 5678 9018", "1234-5678-9018",
        " 123456789018\n", "123456789018\r\n"])
    func acceptsValidNumbers(_ text: String) throws {
        _ = try Self.number(text)
    }

    @Test func checkDigitFollowsTheOrdinance() {
        #expect(MyNumber.checkDigit(of: Array("123456789018".utf8)) == UInt8(ascii: "8"))
        #expect(MyNumber.checkDigit(of: Array("987654321093".utf8)) == UInt8(ascii: "3"))
        #expect(MyNumber.checkDigit(of: Array("200000000000".utf8)) == UInt8(ascii: "0"))
    }

    @Test func rejectsAWrongCheckDigit() {
        #expect(throws: ModelError(.myNumberCheckDigit, "")) { try Self.number("123456789017") }
    }

    @Test(arguments: ["12345678901", "1234567890180", "", "1234 5678 901"])
    func rejectsAWrongLength(_ text: String) {
        #expect(throws: ModelError(.myNumberLength, "")) { try Self.number(text) }
    }

    @Test(arguments: ["12345678901a", "1234  5678 9018", "1234 5678-9018", "12 3456789018", "１２３４５６７８９０１８", "+123456789018"])
    func rejectsOtherCharactersOrLayouts(_ text: String) {
        #expect(throws: ModelError(.myNumberCharacters, "")) { try Self.number(text) }
    }

    @Test func errorsNeverQuoteTheNumber() throws {
        for text in ["123456789017", "12345678901", "12345678901a"] {
            do {
                _ = try Self.number(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(!error.message.contains("1234"))
                #expect(!"\(error)".contains("1234"))
            }
        }
    }

    @Test func descriptionIsAMask() throws {
        let number = try Self.number("123456789018")
        #expect("\(number)" == "<My Number>")
        #expect(String(reflecting: number).contains("123456789018") == false)
    }

    @Test func holderKeysDependOnNumberAndSecretOnly() throws {
        let a = try Self.number("123456789018").holderKey(secret: Self.secret)
        let b = try Self.number("1234-5678-9018").holderKey(secret: Self.secret)
        let c = try Self.number("987654321093").holderKey(secret: Self.secret)
        let d = try Self.number("123456789018").holderKey(secret: SecretBytes(copying: Array("another registry".utf8)))
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
        #expect(HolderKey(hex: a.hex) == a)
        // HMAC-SHA256(key, "shikaku-holder-v1:123456789018"), computed independently with Python's hmac module.
        #expect(a.hex == Self.expectedHolderKey)
    }

    /// `python3 -c 'import hmac,hashlib; print(hmac.new(b"registry secret for tests",
    /// b"shikaku-holder-v1:123456789018", hashlib.sha256).hexdigest())'`
    static let expectedHolderKey = "3a1ed4127d2a3b426c2eea68eb5c7b4855ee4ad426412a60054deb9b64a3ef53"
}
