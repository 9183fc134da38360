import ShikakuJSON
import Testing

@Suite struct ParserTests {
    static func parse(_ text: String) throws(JSONError) -> JSONValue { try JSONValue.parse(text) }
    static func parse(bytes: [UInt8]) throws(JSONError) -> JSONValue { try JSONValue.parse(bytes) }

    /// JSONTestSuite-style n_ cases: each must be rejected as a syntax error.
    @Test(arguments: [
        "", " ", "[", "]", "{", "}", "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "['a']",
        "[01]", "[-01]", "[+1]", "[.5]", "[1.]", "[1.e3]", "[1e]", "[1e+]", "[-]", "[0x10]", "[NaN]", "[Infinity]",
        "[-Infinity]", "[tru]", "[nul]", "[True]", "[\"\\x41\"]", "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"abc]", "[\"\\\"]",
        "{\"a\":1 \"b\":2}", "[1]]", "{}}", "[\"a\"\u{0B}]", "/* c */ 1", "1 // c", "[1;2]",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONError.self) { try Self.parse(text) }
    }

    @Test(arguments: [
        ("[1]]", JSONError.Code.trailingContent), ("{}}", .trailingContent), ("1 2", .trailingContent),
        ("[\"a\u{01}b\"]", .controlCharacter), ("[\"\\ud800\"]", .loneSurrogate), ("[\"\\udc00\"]", .loneSurrogate),
        ("[\"\\ud800\\u0041\"]", .loneSurrogate), ("[\"\\ud800x\"]", .loneSurrogate), ("[1e400]", .numberOutOfRange),
        ("[-1e400]", .numberOutOfRange), ("{\"a\":1,\"a\":2}", .duplicateKey), ("{\"a\":1,\"\\u0061\":2}", .duplicateKey),
    ])
    func namesTheFault(_ text: String, _ code: JSONError.Code) {
        let error = #expect(throws: JSONError.self) { try Self.parse(text) }
        #expect(error?.code == code, "\(text)")
    }

    @Test(arguments: [
        [0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D],  // bad continuation
        [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D],  // overlong '/'
        [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D],  // UTF-8-encoded surrogate
        [0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D],  // beyond U+10FFFF
        [0x5B, 0x22, 0xE3, 0x81, 0x22, 0x5D],  // truncated
        [0x5B, 0xFF, 0x5D],  // outside a string
        [0x5B, 0x22, 0xE3, 0x81, 0x82, 0xE3, 0x81, 0x22, 0x5D],  // truncated after a whole あ
    ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        let error = #expect(throws: JSONError.self) { try Self.parse(bytes: bytes) }
        #expect(error?.code == .invalidUTF8)
    }

    /// Text in Japanese is read whole when it is valid UTF-8 with no escape, and byte by byte otherwise: both
    /// give the same strings, and a bad byte is named where it is.
    @Test func readsNonASCIIStringsWholeOrByByte() throws {
        #expect(try Self.parse("[\"山田 太郎\",\"é\\n漢\",\"鈴木\\u4e00\"]") == .array(["山田 太郎", "é\n漢", "鈴木一"]))
        let error = #expect(throws: JSONError.self) { try Self.parse(bytes: [0x5B, 0x22, 0xE5, 0xB1, 0xB1, 0xE7, 0x28, 0x22, 0x5D]) }
        #expect(error?.code == .invalidUTF8 && error?.offset == 5, "\(String(describing: error))")
        let control = #expect(throws: JSONError.self) { try Self.parse(bytes: [0x5B, 0x22, 0xC3, 0xA9, 0x01, 0x22, 0x5D]) }
        #expect(control?.code == .controlCharacter && control?.offset == 4, "\(String(describing: control))")
        let long = String(repeating: "山", count: 10)
        let limited = #expect(throws: JSONError.self) {
            try JSONValue.parse(Array("[\"\(long)\"]".utf8), limits: JSONLimits(maxDepth: 8, maxBytes: 1000, maxStringBytes: 29))
        }
        #expect(limited?.code == .tooLarge, "\(String(describing: limited))")
        #expect(try JSONValue.parse(Array("[\"\(long)\"]".utf8), limits: JSONLimits(maxDepth: 8, maxBytes: 1000, maxStringBytes: 30)) == .array([.string(long)]))
    }

    @Test func rejectsAByteOrderMark() {
        #expect(throws: JSONError.self) { try Self.parse(bytes: [0xEF, 0xBB, 0xBF, 0x31]) }
    }

    @Test func reportsLineAndColumn() {
        let error = #expect(throws: JSONError.self) { try Self.parse("{\n  \"a\": 1,\n  \"b\": tru\n}") }
        #expect(error?.line == 3)
        #expect(error?.column == 8)
        #expect(error?.description.hasPrefix("line 3, column 8:") == true)
    }

    @Test func duplicateKeysAreFoundInLargeObjectsToo() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: JSONError(.duplicateKey, "")) { try Self.parse("{\(members),\"k17\":0}") }
        #expect(throws: Never.self) { try Self.parse("{\(members)}") }
    }

    /// Names in ascending order (canonical JSON's) are taken without a search until one is out of order: a
    /// repeat is found wherever it comes, in small objects and large, right after its twin or later.
    @Test(arguments: [3, 15, 16, 40])
    func duplicateKeysAreFoundAfterNamesInOrder(count: Int) throws {
        let names = (0..<count).map { "k" + String(100 + $0) }
        let members = names.map { "\"\($0)\":0" }.joined(separator: ",")
        #expect(try Self.parse("{\(members)}").objectValue?.keys == names)
        #expect(try Self.parse("{\"\":0,\(members)}").objectValue?.keys == [""] + names, "an empty name sorts first")
        for repeated in [names[0], names[count / 2], names[count - 1]] {
            let error = #expect(throws: JSONError.self) { try Self.parse("{\(members),\"\(repeated)\":1}") }
            #expect(error?.code == .duplicateKey, "\(repeated) in \(count)")
            let later = #expect(throws: JSONError.self) { try Self.parse("{\(members),\"a\":2,\"\(repeated)\":1}") }
            #expect(later?.code == .duplicateKey, "\(repeated) after a name out of order, in \(count)")
        }
    }

    @Test func limitsDepthAndSize() {
        let deep = String(repeating: "[", count: 10_000_000)
        #expect(throws: JSONError(.tooDeep, "")) { try Self.parse(deep) }
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try Self.parse(allowed) }
        let limits = JSONLimits(maxDepth: 64, maxBytes: 100, maxStringBytes: 10)
        #expect(throws: JSONError(.tooLarge, "")) { try JSONValue.parse(String(repeating: " ", count: 101), limits: limits) }
        #expect(throws: JSONError(.tooLarge, "")) { try JSONValue.parse("\"abcdefghijk\"", limits: limits) }
        #expect(throws: JSONError(.tooLarge, "")) { try JSONValue.parse("\"abcdefghij\\n\"", limits: limits) }
    }

    @Test(arguments: [
        "{\"\":0}", "-0", "1E+2", "1e-2", "0.5", "[\"\\/\"]", "\"\u{1F602}\"", "\"\\ud83d\\ude02\"", " \t\r\n[] ", "true",
        "null", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "\"\u{0080}\u{07FF}\u{0800}\u{FFFF}\u{10000}\u{10FFFF}\"",
        "123456789012345678901234567890", "[1e-400]",
    ])
    func acceptsValidEdgeCases(_ text: String) {
        #expect(throws: Never.self) { try Self.parse(text) }
    }

    @Test func keepsLexemesAndOrder() throws {
        let value = try Self.parse(#"{"z":1.50,"a":[true,null],"m":"x"}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        guard case .number(let number)? = object["z"] else { return #expect(Bool(false)) }
        #expect(number.lexeme == "1.50")
        #expect(number.canonical == "1.5")
        #expect(value.compact == #"{"z":1.5,"a":[true,null],"m":"x"}"#)
        #expect(value.canonicalString == #"{"a":[true,null],"m":"x","z":1.5}"#)
    }

    @Test func prettyPrintsWithTwoSpaces() throws {
        let value = try Self.parse(#"{"b":[1,{}],"a":"é","e":[]}"#)
        #expect(value.prettyPrinted() == "{\n  \"b\": [\n    1,\n    {}\n  ],\n  \"a\": \"é\",\n  \"e\": []\n}")
    }
}
