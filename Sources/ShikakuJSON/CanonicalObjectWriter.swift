/// An object's RFC 8785 form written member by member, for hot paths whose members are known in advance
/// (the Merkle leaf of a journal record, a credential): no tree is built and no member sorted.
///
/// The caller gives the members in canonical order (by their names' UTF-16 code units); a debug build
/// checks it. Integers must be exact in a double (|n| < 2^53), so that their decimal digits are their
/// ECMAScript form. The bytes go through a raw pointer (``ByteWriter``): a leaf or a credential is written
/// a few bytes at a time, and an array's checks on every append cost more than the writing.
public struct CanonicalObjectWriter: ~Copyable {
    private var out: ByteWriter
    private var isEmpty = true
    #if DEBUG
        private var lastName: String?
    #endif

    /// An empty object, with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) {
        out = ByteWriter(capacity: capacity)
        out.append(UInt8(ascii: "{"))
    }

    /// Adds a string member.
    public mutating func string(_ name: StaticString, _ value: String) {
        self.name(name)
        JSONWriter.appendString(value, to: &out)
    }

    /// Adds a string member whose value is `head`, `separator` and `tail` joined (a status entry's id, its
    /// list's URL, `#` and its index; a registration's name), with no string made for it. The separator must
    /// need no escape.
    public mutating func string(_ name: StaticString, _ head: String, _ separator: Unicode.Scalar, _ tail: String) {
        assert(separator.isASCII && separator.value >= 0x20 && separator != "\"" && separator != "\\", "\(separator) needs an escape")
        self.name(name)
        out.append(UInt8(ascii: "\""))
        JSONWriter.appendUnquoted(head, to: &out)
        out.append(UInt8(separator.value))
        JSONWriter.appendUnquoted(tail, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Adds a string member whose value is `bytes` of UTF-8, which must need no escapes (ASCII letters, digits
    /// and punctuation other than `"` and `\`): a time or a digest lent by whoever forms it.
    public mutating func string(_ name: StaticString, plain bytes: UnsafeBufferPointer<UInt8>) {
        self.name(name)
        assert(bytes.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }, "\(name) needs escapes")
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: bytes)
        out.append(UInt8(ascii: "\""))
    }

    /// Adds an integer member.
    public mutating func integer(_ name: StaticString, _ value: Int) {
        self.name(name)
        append(value)
    }

    /// Adds a member whose value is an array of strings.
    public mutating func strings(_ name: StaticString, _ values: [String]) {
        self.name(name)
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Adds a member whose value is an object that `write` writes, member by member in canonical order, in
    /// place.
    public mutating func object(_ name: StaticString, _ write: (inout CanonicalObjectWriter) -> Void) {
        self.name(name)
        nested(write)
    }

    /// Adds a member whose value is an array of `count` objects, the n-th of which `write(n, &writer)` writes.
    public mutating func objects(_ name: StaticString, count: Int, _ write: (Int, inout CanonicalObjectWriter) -> Void) {
        self.name(name)
        out.append(UInt8(ascii: "["))
        for index in 0..<count {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            nested { write(index, &$0) }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Adds an array of two integers (a status slot's list and index): no array is made for them.
    public mutating func integers(_ name: StaticString, _ first: Int, _ second: Int) {
        self.name(name)
        out.append(UInt8(ascii: "["))
        append(first)
        out.append(UInt8(ascii: ","))
        append(second)
        out.append(UInt8(ascii: "]"))
    }

    /// Adds a member whose value is `true` or `false`.
    public mutating func boolean(_ name: StaticString, _ value: Bool) {
        self.name(name)
        out.append(value ? "true" : "false")
    }

    /// Adds a member whose value is null.
    public mutating func null(_ name: StaticString) {
        self.name(name)
        out.append("null")
    }

    /// How many bytes are written so far: where a member written later would be spliced in (see
    /// ``splicing(_:canonical:into:at:)``).
    public var count: Int { out.count }

    /// `object`, written by a writer, with a member spliced in at `position`, where the writer stood
    /// after the members that precede it by name and before those that follow (not the first member).
    public static func splicing(_ name: StaticString, canonical value: [UInt8], into object: [UInt8], at position: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(object.count + name.utf8CodeUnitCount + value.count + 4)
        out += object[..<position]
        out.append(contentsOf: ",\"".utf8)
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(contentsOf: "\":".utf8)
        out += value
        out += object[position...]
        return out
    }

    /// The finished object's bytes.
    public consuming func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out.finish()
    }

    /// The finished object's bytes, lent to `body`, with no array made for them: a leaf is only hashed.
    /// Not generic, so that other modules call it as it is.
    public consuming func finish(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        out.append(UInt8(ascii: "}"))
        out.withBytes(body)
    }

    private mutating func name(_ name: StaticString) {
        #if DEBUG
            let text = name.description
            assert(lastName.map { JSONWriter.precedes($0, text) } ?? true, "\(text) is out of canonical order")
            lastName = text
        #endif
        if !isEmpty { out.append(UInt8(ascii: ",")) }
        isEmpty = false
        out.append(UInt8(ascii: "\""))
        out.append(name)
        out.append("\":")
    }

    /// Writes an object in this writer's bytes, with an order check of its own: the same writer, its place in
    /// the outer object kept aside.
    private mutating func nested(_ write: (inout CanonicalObjectWriter) -> Void) {
        let outerIsEmpty = isEmpty
        #if DEBUG
            let outerName = lastName
            lastName = nil
        #endif
        isEmpty = true
        out.append(UInt8(ascii: "{"))
        write(&self)
        out.append(UInt8(ascii: "}"))
        isEmpty = outerIsEmpty
        #if DEBUG
            lastName = outerName
        #endif
    }

    private mutating func append(_ value: Int) {
        precondition(value.magnitude < 1 << 53, "\(value) is not exact in a double")
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            var rest = value.magnitude, start = 16
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}

extension JSONValue {
    /// The object that `write` writes member by member, as a tree: what a type written on a hot path with a
    /// ``CanonicalObjectWriter`` shows in output, from the same one encoding.
    public init(writtenBy write: (inout CanonicalObjectWriter) -> Void) {
        var writer = CanonicalObjectWriter()
        write(&writer)
        // Whatever the writer holds, however long its strings: it wrote valid JSON, a few levels deep.
        let limits = JSONLimits(maxDepth: JSONLimits.default.maxDepth, maxBytes: .max, maxStringBytes: .max)
        guard let parsed = try? JSONValue.parse(writer.finish(), limits: limits) else {
            preconditionFailure("a canonical object writer wrote what does not parse")
        }
        self = parsed
    }
}
