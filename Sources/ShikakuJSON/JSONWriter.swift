// Writing JSON: the RFC 8785 canonical form for hashing and signing, and an indented or compact
// form for people and scripts. All three escape strings the same way (RFC 8785 §3.2.2.2).

extension JSONValue {
    /// The RFC 8785 (JCS) canonical form: UTF-8, no whitespace, members sorted by their names' UTF-16
    /// code units, numbers as ECMAScript writes them, strings escaped minimally.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendCanonical(to: &out)
        return out
    }

    /// The canonical form as text.
    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// Appends the canonical form to `out`: the hot path of signing, with no intermediate arrays.
    public func appendCanonical(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let number): out.append(contentsOf: number.canonical.utf8)
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, member) in JSONWriter.sorted(object.members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Indented with two spaces, members in their original order: for people and `--json` output.
    public func prettyPrinted() -> String {
        var out: [UInt8] = []
        JSONWriter.appendPretty(self, indent: 0, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One line, members in their original order: for JSON Lines.
    public var compact: String {
        var out: [UInt8] = []
        JSONWriter.appendCompact(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

enum JSONWriter {
    /// Members sorted by name as sequences of UTF-16 code units (RFC 8785 §3.2.3).
    static func sorted(_ members: [JSONObject.Member]) -> [JSONObject.Member] {
        var isSorted = true
        for index in members.indices.dropFirst() where !precedes(members[index - 1].key, members[index].key) {
            isSorted = false
            break
        }
        return isSorted ? members : members.sorted { precedes($0.key, $1.key) }
    }

    /// UTF-16 order. For names without surrogate pairs it equals scalar order, which UTF-8 bytes
    /// also sort by; only characters above U+FFFF (surrogates, 0xD800–0xDFFF) sort differently,
    /// before U+E000–U+FFFF.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?) where x == y: continue
            case (let x?, let y?):
                if x < 0xEE && y < 0xEE { return x < y }
                return a.utf16.lexicographicallyPrecedes(b.utf16)
            }
        }
    }

    /// Appends `text` quoted and escaped: `\"` `\\` `\b` `\t` `\n` `\f` `\r`, other controls as `\u00xx`
    /// (lower-case hex), everything else as raw UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendCompact(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendCompact(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendCompact(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        default:
            value.appendCanonical(to: &out)
        }
    }

    static func appendPretty(_ value: JSONValue, indent: Int, to out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                appendPretty(element, indent: indent + 1, to: &out)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let object) where object.count > 0:
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                appendString(member.key, to: &out)
                out.append(contentsOf: ": ".utf8)
                appendPretty(member.value, indent: indent + 1, to: &out)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        default:
            appendCompact(value, to: &out)
        }
    }
}
