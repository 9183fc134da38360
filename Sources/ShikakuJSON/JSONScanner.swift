/// Reads chosen members of a JSON text in one pass, without building a tree.
///
/// For hot paths that need a few facts from records the program wrote itself, such as the registry
/// replaying its journal, where building every record's tree costs more than the rest of the work.
/// What it reads it checks as strictly as ``JSONValue/parse(_:limits:)``; what it skips it checks for
/// syntax only (not duplicate names, UTF-8 or number range). Parse untrusted input with the parser.
public struct JSONScanner: ~Copyable {
    private var parser: JSONParser

    private init(_ parser: JSONParser) { self.parser = parser }

    /// Scans the single JSON value in `bytes` with `body`, then checks nothing follows it.
    /// - Throws: ``JSONError`` for bad syntax, or whatever `body` throws.
    public static func scan<T>(_ bytes: [UInt8], _ body: (inout JSONScanner) throws -> T) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(JSONParser(buffer, limits: .default))
            scanner.parser.skipWhitespace()
            let result = try body(&scanner)
            try scanner.parser.finishDocument()
            return result
        }
    }

    /// Reads an object, calling `body` with each member's name and a scanner at its value. A value
    /// `body` does not read is skipped.
    /// - Throws: `json.type-mismatch` if the value is not an object.
    public mutating func members(_ body: (String, inout JSONScanner) throws -> Void) throws {
        guard parser.peek() == UInt8(ascii: "{") else { throw parser.mismatch("an object") }
        try entries { key, scanner in try body(key ?? "", &scanner) }
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
    private mutating func entries(_ body: (String?, inout JSONScanner) throws -> Void) throws {
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
            var key: String?
            if isObject {
                guard parser.peek() == UInt8(ascii: "\"") else { throw parser.unexpected("a member name in quotes") }
                key = try parser.parseString()
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: ":") else { throw parser.unexpected("':' after a member name") }
                parser.position += 1
                parser.skipWhitespace()
            }
            let start = parser.position
            try body(key, &self)
            if parser.position == start { try skip() }
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

    /// Reads a string.
    /// - Throws: `json.type-mismatch` for another type.
    public mutating func string() throws(JSONError) -> String {
        guard parser.peek() == UInt8(ascii: "\"") else { throw parser.mismatch("a string") }
        return try parser.parseString()
    }

    /// Reads a number that is an integer.
    /// - Throws: `json.type-mismatch` for another type or a fraction.
    public mutating func int() throws(JSONError) -> Int {
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

    /// Reads `null` if that is the value, and says whether it was.
    public mutating func null() throws(JSONError) -> Bool {
        guard parser.peek() == UInt8(ascii: "n") else { return false }
        _ = try parser.parseLiteral("null", .null)
        return true
    }

    /// Skips the value, checking its syntax but building nothing.
    public mutating func skip() throws {
        switch parser.peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["): try entries { _, _ in }
        case UInt8(ascii: "\""): try parser.skipString()
        default: _ = try parser.parseValue()
        }
    }
}

extension JSONParser {
    mutating func finishDocument() throws(JSONError) {
        skipWhitespace()
        guard position == bytes.count else { throw error(.trailingContent, "unexpected \(describe(position)) after the JSON value") }
    }

    func mismatch(_ expected: String) -> JSONError {
        guard position < bytes.count else { return error(.syntax, "the input ends where \(expected) was expected") }
        return error(.typeMismatch, "expected \(expected), found \(describe(position))")
    }

    /// Moves past a string without decoding it.
    mutating func skipString() throws(JSONError) {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"): position += 2
            default: position += 1
            }
        }
        throw error(.syntax, "the input ends inside a string")
    }
}
