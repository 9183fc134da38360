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
    /// Objects are small (a few dozen members at most), so an insertion sort, which does nothing to members
    /// already in order, beats a general sort.
    static func sorted(_ members: [JSONObject.Member]) -> [JSONObject.Member] {
        var members = members
        for index in members.indices.dropFirst() where !precedes(members[index - 1].key, members[index].key) {
            let member = members[index]
            var slot = index
            while slot > 0 && precedes(member.key, members[slot - 1].key) {
                members[slot] = members[slot - 1]
                slot -= 1
            }
            members[slot] = member
        }
        return members
    }

    /// UTF-16 order. For names without surrogate pairs it equals scalar order, which UTF-8 bytes
    /// also sort by; only characters above U+FFFF (surrogates, 0xD800–0xDFFF) sort differently,
    /// before U+E000–U+FFFF.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        let byBytes = a.withUTF8 { left in
            b.withUTF8 { right -> Bool? in
                for (x, y) in zip(left, right) where x != y {
                    return x < 0xEE && y < 0xEE ? x < y : nil
                }
                return left.count < right.count
            }
        }
        return byBytes ?? a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Appends `text` quoted and escaped: `\"` `\\` `\b` `\t` `\n` `\f` `\r`, other controls as `\u00xx`
    /// (lower-case hex), everything else as raw UTF-8. Runs that need no escape are copied whole.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                appendEscape(byte, to: &out)
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0..<0x20:
            let digits: StaticString = "0123456789abcdef"
            out.append(contentsOf: "u00".utf8)
            out.append(digits.utf8Start[Int(byte >> 4)])
            out.append(digits.utf8Start[Int(byte & 15)])
        default: out.append(byte)
        }
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
