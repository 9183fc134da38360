// Writing JSON: the RFC 8785 canonical form for hashing and signing, and an indented or compact
// form for people and scripts. All three escape strings the same way (RFC 8785 §3.2.2.2).

extension JSONValue {
    /// The RFC 8785 (JCS) canonical form: UTF-8, no whitespace, members sorted by their names' UTF-16
    /// code units, numbers as ECMAScript writes them, strings escaped minimally.
    public var canonicalBytes: [UInt8] {
        var out = ByteWriter(capacity: 256)
        writeCanonical(to: &out)
        return out.finish()
    }

    /// The canonical form as text.
    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// Writes the canonical form to `out`: the hot path of signing, with no intermediate arrays.
    func writeCanonical<Sink: ByteSink & ~Copyable>(to out: inout Sink) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .number(let number): JSONWriter.appendPlain(number.canonical, to: &out)
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for index in elements.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                elements[index].writeCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let order = JSONWriter.sortedOrder(object.members)
            for position in object.members.indices {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                // Read in place, not copied out: a copy of a member costs a retain and a release of each part.
                let index = order?[position] ?? position
                JSONWriter.appendString(object.members[index].key, to: &out)
                out.append(UInt8(ascii: ":"))
                object.members[index].value.writeCanonical(to: &out)
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

/// An object's canonical form with where each member starts in it, so that a member can be added later
/// without writing the rest again (a proof, to the document it signs).
public struct CanonicalObject: Sendable {
    /// The RFC 8785 form.
    public let bytes: [UInt8]
    /// The object's members, and their indices in canonical order: the names are read from there rather
    /// than copied out, which would cost a retain of each.
    private let members: [JSONObject.Member]
    private let order: [Int]?
    /// Where each member (in canonical order) starts in ``bytes``.
    private let starts: [Int]

    /// The canonical form of `object`.
    public init(_ object: JSONObject) {
        let members = object.members
        let order = JSONWriter.sortedOrder(members)
        // A credential's canonical form is under 2 KiB.
        var bytes = ByteWriter(capacity: 2048)
        bytes.append(UInt8(ascii: "{"))
        var starts: [Int] = []
        starts.reserveCapacity(members.count)
        for position in members.indices {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            starts.append(bytes.count)
            let index = order?[position] ?? position
            JSONWriter.appendString(members[index].key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            members[index].value.writeCanonical(to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        self.bytes = bytes.finish()
        self.members = members
        self.order = order
        self.starts = starts
    }

    /// The canonical form of the object with a member `key` (which it must not have) added.
    public func adding(_ key: String, _ value: JSONValue) -> [UInt8] { adding(key, canonical: value.canonicalBytes) }

    /// The canonical form of the object with a member `key` (which it must not have) added, whose value's
    /// canonical form is `value`: a value spliced together itself (a signed proof) is not written again.
    public func adding(_ key: String, canonical value: [UInt8]) -> [UInt8] {
        precondition(!members.contains { JSONValue.sameScalars($0.key, key) }, "the object already has \(key)")
        let next = members.indices.first { JSONWriter.precedes(key, members[order?[$0] ?? $0].key) }
        // Before the member it precedes, or before the closing brace.
        let split = next.map { starts[$0] } ?? bytes.count - 1
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + key.utf8.count + value.count + 4)
        out += bytes[..<split]
        if next == nil && !members.isEmpty { out.append(UInt8(ascii: ",")) }
        JSONWriter.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        out += value
        if next != nil { out.append(UInt8(ascii: ",")) }
        out += bytes[split...]
        return out
    }
}

enum JSONWriter {
    /// The order of members sorted by name as sequences of UTF-16 code units (RFC 8785 §3.2.3), or `nil`
    /// when they are in order already. Objects are small (a few dozen members at most), so an insertion
    /// sort of their indices beats a general sort, and moves no member.
    static func sortedOrder(_ members: [JSONObject.Member]) -> [Int]? {
        guard members.indices.dropFirst().contains(where: { !precedes(members[$0 - 1].key, members[$0].key) }) else { return nil }
        var order = Array(members.indices)
        for index in order.indices.dropFirst() {
            let moving = order[index]
            var slot = index
            while slot > 0 && precedes(members[moving].key, members[order[slot - 1]].key) {
                order[slot] = order[slot - 1]
                slot -= 1
            }
            order[slot] = moving
        }
        return order
    }

    /// UTF-16 order. For names without surrogate pairs it equals scalar order, which UTF-8 bytes
    /// also sort by; only characters above U+FFFF (surrogates, 0xD800–0xDFFF) sort differently,
    /// before U+E000–U+FFFF.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let byBytes = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right -> Bool? in
                for (x, y) in zip(left, right) where x != y {
                    return x < 0xEE && y < 0xEE ? x < y : nil
                }
                return left.count < right.count
            } ?? nil
        } ?? nil
        return byBytes ?? a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Appends `text` quoted and escaped: `\"` `\\` `\b` `\t` `\n` `\f` `\r`, other controls as `\u00xx`
    /// (lower-case hex), everything else as raw UTF-8. Runs that need no escape are copied whole.
    static func appendString<Sink: ByteSink & ~Copyable>(_ text: String, to out: inout Sink) {
        out.append(UInt8(ascii: "\""))
        appendUnquoted(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` escaped as in ``appendString(_:to:)``, without the quotes: a part of a string value.
    static func appendUnquoted<Sink: ByteSink & ~Copyable>(_ text: String, to out: inout Sink) {
        withUTF8(of: text) { appendEscaped($0, to: &out) }
    }

    /// Appends text that needs no escapes (a number's digits) as it is.
    static func appendPlain<Sink: ByteSink & ~Copyable>(_ text: String, to out: inout Sink) {
        withUTF8(of: text) { out.append(contentsOf: $0) }
    }

    /// Lends `text`'s UTF-8 to `body`: in place where the string is contiguous (native strings always are),
    /// since `String.withUTF8` needs a copy of the string to mutate, retained and released for every string
    /// a credential or an entry writes.
    private static func withUTF8(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard text.utf8.withContiguousStorageIfAvailable(body) == nil else { return }
        var copy = text
        copy.withUTF8(body)
    }

    private static func appendEscaped<Sink: ByteSink & ~Copyable>(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout Sink) {
        var start = 0
        while case let index = ByteSearch.firstSpecial(in: bytes, from: start, stop: .escaped), index < bytes.count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            appendEscape(bytes[index], to: &out)
            start = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    private static func appendEscape<Sink: ByteSink & ~Copyable>(_ byte: UInt8, to out: inout Sink) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0..<0x20:
            let digits: StaticString = "0123456789abcdef"
            out.append("u00")
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
            value.writeCanonical(to: &out)
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
