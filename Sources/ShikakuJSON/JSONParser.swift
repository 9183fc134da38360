// RFC 8259 JSON text, with the I-JSON restrictions of RFC 7493 that JCS needs:
//
//   JSON-text = ws value ws
//   value     = false / null / true / object / array / number / string
//   object    = "{" ws [ member *( ws "," ws member ) ] ws "}"      member = string ws ":" ws value
//   array     = "[" ws [ value *( ws "," ws value ) ] ws "]"
//   number    = [ "-" ] int [ frac ] [ exp ]    int = "0" / ( digit1-9 *DIGIT )
//   string    = quotation-mark *char quotation-mark
//   ws        = *( %x20 / %x09 / %x0A / %x0D )
//
// I-JSON: the text is UTF-8 without a byte order mark, names are unique, strings hold no lone
// surrogates, numbers fit an IEEE 754 double.

import Glibc

extension JSONValue {
    /// Parses one JSON value from UTF-8 bytes, strictly (RFC 8259 and I-JSON, RFC 7493).
    /// - Parameters:
    ///   - bytes: The text.
    ///   - limits: Bounds on depth and size.
    /// - Throws: ``JSONError`` with the offset, line and column of the first problem.
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONError> {
            var parser = JSONParser(buffer, limits: limits)
            return Result { () throws(JSONError) in try parser.parseDocument() }
        }
        let result = bytes.withContiguousStorageIfAvailable(run) ?? Array(bytes).withUnsafeBufferPointer(run)
        return try result.get()
    }

    /// Parses one JSON value from text.
    /// - Throws: ``JSONError``.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// A recursive-descent parser over a byte buffer. Depth is bounded by ``JSONLimits/maxDepth``,
/// so recursion cannot exhaust the stack.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    var position = 0
    var depth = 0
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(.tooLarge, "the input is \(bytes.count) bytes; at most \(limits.maxBytes) are accepted", offset: 0, line: 1, column: 1)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw error(.syntax, "the input starts with a byte order mark, which JSON does not allow")
        }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else {
            throw error(.trailingContent, "unexpected \(describe(position)) after the JSON value")
        }
        return value
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        guard position < bytes.count else { throw error(.syntax, "the input ends where a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected("a value")
        }
    }

    mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count,
            (0..<count).allSatisfy({ bytes[position + $0] == word.utf8Start[$0] })
        else { throw unexpected("a value") }
        position += count
        return value
    }

    mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= limits.maxDepth else {
            throw error(.tooDeep, "arrays and objects are nested more than \(limits.maxDepth) deep")
        }
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        elements.reserveCapacity(4)
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default: throw unexpected("',' or ']' in an array")
            }
        }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        let start = position
        position += 1
        var members: [JSONObject.Member] = []
        // Most objects have a handful of members: growing one from empty would reallocate it three times.
        members.reserveCapacity(8)
        var seen: Set<[UInt8]> = []
        // Canonical JSON (what the registry stores) has its names in ascending order: while each name sorts
        // after the one before, bytewise, it cannot repeat one, and no search is needed.
        var ascending = true
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw unexpected("a member name in quotes") }
            let keyOffset = position
            let key = try parseString()
            // Well-formed UTF-8 encodes each scalar one way, so equal UTF-8 means equal UTF-16 code units.
            let isDuplicate: Bool
            if ascending, members.last.map({ JSONParser.precedes($0.key, key) }) ?? true {
                isDuplicate = false
            } else if members.count < 16 {
                ascending = false
                isDuplicate = members.contains { JSONValue.sameScalars($0.key, key) }
                if members.count == 15 { seen = Set(members.map { Array($0.key.utf8) } + [Array(key.utf8)]) }
            } else {
                if ascending {
                    ascending = false
                    seen = Set(members.map { Array($0.key.utf8) })
                }
                isDuplicate = !seen.insert(Array(key.utf8)).inserted
            }
            if isDuplicate {
                position = keyOffset
                throw error(.duplicateKey, "the member name \"\(key)\" appears twice in the object that starts at byte \(start)")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected("':' after a member name") }
            position += 1
            skipWhitespace()
            members.append(JSONObject.Member(key: key, value: try parseValue()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(JSONObject(members))
            default: throw unexpected("',' or '}' in an object")
            }
        }
    }

    /// Whether `a` sorts before `b` by UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let order = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in
                let shorter = min(left.count, right.count)
                let common = shorter == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, shorter)
                return common < 0 || (common == 0 && left.count < right.count)
            }
        }
        return (order ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = position
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.position
            while parser.position < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.position]) {
                parser.position += 1
            }
            return parser.position - from
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
                throw error(.syntax, "a number may not have a leading zero")
            }
        } else if digits(&self) == 0 {
            throw unexpected("a digit")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw unexpected("a digit after the decimal point") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw unexpected("a digit in the exponent") }
        }
        let lexeme = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(lexeme), value.isFinite else {
            position = start
            throw error(.numberOutOfRange, "\(lexeme) is beyond the range of a double (I-JSON, RFC 7493 §2.2)")
        }
        return JSONNumber(parsed: value, lexeme: lexeme)
    }

    mutating func parseString() throws(JSONError) -> String {
        position += 1
        let start = position
        // Fast path: printable ASCII without escapes, the common case for names and codes.
        position = ByteSearch.firstSpecial(in: bytes, from: position, stop: .notPlain)
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            let count = position - start
            guard count <= limits.maxStringBytes else { throw tooLongString() }
            position += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
        }
        // Next: text with non-ASCII (names in Japanese) but no escape, valid UTF-8, taken whole; anything else,
        // and invalid UTF-8, goes byte by byte below, which says where it is wrong.
        if position < bytes.count, bytes[position] >= 0x80 {
            let end = ByteSearch.firstSpecial(in: bytes, from: position, stop: .escaped)
            if end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - start <= limits.maxStringBytes {
                // Decoding repairs invalid UTF-8, so text that comes out with other bytes was invalid. (Not
                // String(validating:), which is generic and looks up type metadata at every call.)
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let text = String(decoding: raw, as: UTF8.self)
                if text.utf8.count == raw.count, text.utf8.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }) ?? false {
                    position = end + 1
                    return text
                }
            }
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard scratch.count <= limits.maxStringBytes else { throw tooLongString() }
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape()
            case 0..<0x20:
                throw error(.controlCharacter, "a raw control character (U+00\(hex2(byte))) in a string must be escaped")
            case 0x80...:
                let length = try utf8SequenceLength(at: position)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<position + length]))
                position += length
            default:
                scratch.append(byte)
                position += 1
            }
            if scratch.count > limits.maxStringBytes { throw tooLongString() }
        }
        throw error(.syntax, "the input ends inside a string")
    }

    private mutating func parseEscape() throws(JSONError) {
        position += 1
        guard let byte = peek() else { throw error(.syntax, "the input ends inside an escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    position -= 6
                    throw error(.loneSurrogate, "\\u\(hex4(scalar)) is a high surrogate without a low surrogate after it")
                }
                position += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    position -= 12
                    throw error(.loneSurrogate, "\\u\(hex4(scalar)) is a high surrogate followed by \\u\(hex4(low)), not a low one")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                position -= 6
                throw error(.loneSurrogate, "\\u\(hex4(scalar)) is a low surrogate without a high surrogate before it")
            }
            guard let unicode = Unicode.Scalar(scalar) else { preconditionFailure("surrogates were handled above") }
            scratch.append(contentsOf: unicode.utf8)
        default:
            position -= 1
            throw unexpected("an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX")
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error(.syntax, "the input ends inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpected("a hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629 §4), or the error naming it.
    private func utf8SequenceLength(at index: Int) throws(JSONError) -> Int {
        let lead = bytes[index]
        let (length, secondRange): (Int, ClosedRange<UInt8>) =
            switch lead {
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            default: (0, 0...0)
            }
        guard length > 0, index + length <= bytes.count, secondRange.contains(bytes[index + 1]),
            (2..<length).allSatisfy({ (0x80...0xBF).contains(bytes[index + $0]) })
        else {
            throw JSONParser.located(.invalidUTF8, "the bytes at this position are not well-formed UTF-8", at: index, in: bytes)
        }
        return length
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func tooLongString() -> JSONError {
        error(.tooLarge, "a string is longer than \(limits.maxStringBytes) bytes")
    }

    func unexpected(_ expected: String) -> JSONError {
        if position < bytes.count, bytes[position] >= 0x80, (try? utf8SequenceLength(at: position)) == nil {
            return JSONParser.located(.invalidUTF8, "the bytes at this position are not well-formed UTF-8", at: position, in: bytes)
        }
        return error(.syntax, "expected \(expected), found \(describe(position))")
    }

    func describe(_ index: Int) -> String {
        guard index < bytes.count else { return "the end of the input" }
        let byte = bytes[index]
        return (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex2(byte))"
    }

    func error(_ code: JSONError.Code, _ message: String) -> JSONError {
        JSONParser.located(code, message, at: position, in: bytes)
    }

    /// An error at byte `offset`, with its line and column counted from the input.
    static func located(_ code: JSONError.Code, _ message: String, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>)
        -> JSONError
    {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONError(code, message, offset: offset, line: line, column: offset - lineStart + 1)
    }
}

private func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
}

private func hex4(_ value: UInt32) -> String { hex2(UInt8(value >> 8)) + hex2(UInt8(value & 0xFF)) }
