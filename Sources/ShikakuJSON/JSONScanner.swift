/// Reads chosen members of a JSON text in one pass, without building a tree.
///
/// For hot paths that need a few facts from records the program wrote itself, such as the registry
/// replaying its journal, where building every record's tree costs more than the rest of the work.
/// What it reads (a string, an integer) it checks as strictly as ``JSONValue/parse(_:limits:)``; it does not
/// look for repeated member names, and what it skips it checks far less (see ``skip()``). Parse untrusted
/// input with the parser. After an error the scanner is spent: no call recovers from one.
public struct JSONScanner: ~Copyable {
    private var parser: JSONParser

    private init(_ parser: JSONParser) { self.parser = parser }

    /// Scans the single JSON value in `bytes` with `body`, then checks nothing follows it.
    /// - Throws: ``JSONError`` for bad syntax, or whatever `body` throws.
    public static func scan<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (inout JSONScanner) throws -> T) throws -> T {
        var scanner = JSONScanner(JSONParser(bytes, limits: .default))
        scanner.parser.skipWhitespace()
        let result = try body(&scanner)
        try scanner.parser.finishDocument()
        return result
    }

    /// Reads an object, calling `body` with each member's name and a scanner at its value. A value
    /// `body` does not read is skipped.
    /// - Throws: `json.type-mismatch` if the value is not an object.
    public mutating func members(_ body: (JSONName, inout JSONScanner) throws -> Void) throws {
        guard parser.peek() == UInt8(ascii: "{") else { throw parser.mismatch("an object") }
        try entries { name, scanner in if let name { try body(name, &scanner) } }
    }

    /// Reads an array, calling `body` with a scanner at each element. An element `body` does not read
    /// is skipped.
    /// - Throws: `json.type-mismatch` if the value is not an array.
    public mutating func elements(_ body: (inout JSONScanner) throws -> Void) throws {
        guard parser.peek() == UInt8(ascii: "[") else { throw parser.mismatch("an array") }
        try entries { _, scanner in try body(&scanner) }
    }

    /// Walks the object or array here: each member's name (`nil` in an array) and value to `body`, and
    /// past each value `body` left unread.
    private mutating func entries(_ body: (JSONName?, inout JSONScanner) throws -> Void) throws {
        let isObject = parser.peek() == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        try parser.enter()
        parser.position += 1
        parser.skipWhitespace()
        if parser.peek() == close {
            parser.position += 1
            parser.depth -= 1
            return
        }
        while true {
            parser.skipWhitespace()
            if isObject {
                guard parser.peek() == UInt8(ascii: "\"") else { throw parser.unexpected("a member name in quotes") }
                if let plain = parser.plainString() {
                    try member(JSONName(bytes: plain), body)
                } else {
                    var decoded = try parser.parseString()
                    try decoded.withUTF8 { name in try member(JSONName(bytes: name), body) }
                }
            } else {
                try value(nil, body)
            }
            parser.skipWhitespace()
            switch parser.peek() {
            case UInt8(ascii: ","): parser.position += 1
            case close:
                parser.position += 1
                parser.depth -= 1
                return
            default: throw parser.unexpected(isObject ? "',' or '}' in an object" : "',' or ']' in an array")
            }
        }
    }

    /// The rest of a member after its name: the colon and the value.
    private mutating func member(_ name: JSONName, _ body: (JSONName?, inout JSONScanner) throws -> Void) throws {
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: ":") else { throw parser.unexpected("':' after a member name") }
        parser.position += 1
        parser.skipWhitespace()
        try value(name, body)
    }

    private mutating func value(_ name: JSONName?, _ body: (JSONName?, inout JSONScanner) throws -> Void) throws {
        let start = parser.position
        try body(name, &self)
        if parser.position == start { try skip() }
    }

    /// Reads a string.
    /// - Throws: `json.type-mismatch` for another type.
    public mutating func string() throws(JSONError) -> String {
        guard parser.peek() == UInt8(ascii: "\"") else { throw parser.mismatch("a string") }
        return try parser.parseString()
    }

    /// Reads a string and calls `body` with its UTF-8 bytes, which are valid only during the call: no
    /// String is made for a string of printable ASCII without escapes.
    /// - Throws: `json.type-mismatch` for another type, or what `body` throws.
    public mutating func withString(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard parser.peek() == UInt8(ascii: "\"") else { throw parser.mismatch("a string") }
        if let plain = parser.plainString() { return try body(plain) }
        var decoded = try parser.parseString()
        return try decoded.withUTF8(body)
    }

    /// Reads a number that is an integer.
    /// - Throws: `json.type-mismatch` for another type or a fraction.
    public mutating func int() throws(JSONError) -> Int {
        if let small = parser.plainInteger() { return small }
        let start = parser.position
        guard let next = parser.peek(), next == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) else {
            throw parser.mismatch("an integer")
        }
        guard let value = try parser.parseNumber().int else {
            parser.position = start
            throw parser.mismatch("an integer")
        }
        return value
    }

    /// Reads a string, or `null` as `nil`.
    /// - Throws: `json.type-mismatch` for another type.
    public mutating func optionalString() throws(JSONError) -> String? { try null() ? nil : try string() }

    /// Reads an integer, or `null` as `nil`.
    /// - Throws: `json.type-mismatch` for another type or a fraction.
    public mutating func optionalInt() throws(JSONError) -> Int? { try null() ? nil : try int() }

    /// Reads `true` or `false`.
    /// - Throws: `json.type-mismatch` for another type.
    public mutating func bool() throws(JSONError) -> Bool {
        switch parser.peek() {
        case UInt8(ascii: "t"): return try parser.parseLiteral("true", .bool(true)) == .bool(true)
        case UInt8(ascii: "f"): return try parser.parseLiteral("false", .bool(false)) == .bool(true)
        default: throw parser.mismatch("true or false")
        }
    }

    /// `value`, or the error that the member at `path` is missing: what a decoder says of a member its
    /// scan did not meet.
    // Inlinable: called a dozen times a record, and unspecialised it looks up `T?`'s metadata at each call.
    @inlinable
    public static func required<T>(_ value: T?, _ path: @autoclosure () -> String) throws(JSONError) -> T {
        guard let value else { throw JSONError(.missingMember, "missing", path: path()) }
        return value
    }

    /// Reads `null` if that is the value, and says whether it was.
    public mutating func null() throws(JSONError) -> Bool {
        guard parser.peek() == UInt8(ascii: "n") else { return false }
        _ = try parser.parseLiteral("null", .null)
        return true
    }

    /// Skips the value, building nothing. A number or literal is checked for syntax; a string only for its
    /// end; an object or array only for closing as many brackets as it opens outside strings (of either kind:
    /// `[}` passes), and for depth. Skipping is what a hot path does with what it does not need, so it costs
    /// one pass over the bytes and no more.
    public mutating func skip() throws {
        switch parser.peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["): try parser.skipContainer()
        case UInt8(ascii: "\""): try parser.skipString()
        case UInt8(ascii: "-")?, (UInt8(ascii: "0")...UInt8(ascii: "9"))?:
            if parser.plainInteger() == nil { _ = try parser.parseNumber() }
        default: _ = try parser.parseValue()
        }
    }
}

/// A member's name as a scanner met it: its UTF-8 bytes, valid only during the call that gives it. Match
/// it against literals with `switch`: `case "name":`.
public struct JSONName {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The name as a String.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether `name` is spelled `pattern`. Inlinable: a `switch` over names tries every case on every member.
    @inlinable
    public static func ~= (pattern: StaticString, name: JSONName) -> Bool {
        guard name.bytes.count == pattern.utf8CodeUnitCount else { return false }
        for index in 0..<name.bytes.count where name.bytes[index] != pattern.utf8Start[index] { return false }
        return true
    }
}

extension JSONParser {
    /// The bytes of the string here, and moves past it, when it is printable ASCII without escapes (and
    /// within the length limit); otherwise `nil`, without moving.
    mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        let start = position + 1
        let end = ByteSearch.firstSpecial(in: bytes, from: start, stop: .notPlain)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - start <= limits.maxStringBytes else { return nil }
        position = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The integer here, and moves past it, when it is one of at most 15 digits with no fraction or
    /// exponent (so exact in a double, as the parser requires); otherwise `nil`, without moving.
    mutating func plainInteger() -> Int? {
        var index = position
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let first = index
        var value = 0
        while index < bytes.count, index - first < 15, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > first, bytes[first] != UInt8(ascii: "0") || index == first + 1 else { return nil }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        position = index
        return negative ? -value : value
    }

    mutating func finishDocument() throws(JSONError) {
        skipWhitespace()
        guard position == bytes.count else { throw error(.trailingContent, "unexpected \(describe(position)) after the JSON value") }
    }

    func mismatch(_ expected: String) -> JSONError {
        guard position < bytes.count else { return error(.syntax, "the input ends where \(expected) was expected") }
        return error(.typeMismatch, "expected \(expected), found \(describe(position))")
    }

    /// Moves past the object or array here, matching brackets outside strings.
    mutating func skipContainer() throws(JSONError) {
        let outer = depth
        repeat {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): try enter()
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            position += 1
        } while depth > outer && position < bytes.count
        guard depth == outer else {
            depth = outer
            throw error(.syntax, "the input ends inside an object or array")
        }
    }

    /// Moves past a string without decoding it.
    mutating func skipString() throws(JSONError) {
        position += 1
        while true {
            position = ByteSearch.firstSpecial(in: bytes, from: position, stop: .quoteOrBackslash)
            guard position < bytes.count else { break }
            if bytes[position] == UInt8(ascii: "\"") {
                position += 1
                return
            }
            position += 2
        }
        position = bytes.count
        throw error(.syntax, "the input ends inside a string")
    }
}
