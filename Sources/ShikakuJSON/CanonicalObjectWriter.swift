/// An object's RFC 8785 form written member by member, for hot paths whose members are known in advance
/// (the Merkle leaf of a journal record): no tree is built and no member sorted.
///
/// The caller gives the members in canonical order (by their names' UTF-16 code units); a debug build
/// checks it. Integers must be exact in a double (|n| < 2^53), so that their decimal digits are their
/// ECMAScript form.
public struct CanonicalObjectWriter {
    private var out: [UInt8] = [UInt8(ascii: "{")]
    #if DEBUG
        private var lastName: String?
    #endif

    /// An empty object, with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) { out.reserveCapacity(capacity) }

    /// Adds a string member.
    public mutating func string(_ name: StaticString, _ value: String) {
        self.name(name)
        JSONWriter.appendString(value, to: &out)
    }

    /// Adds a string member whose value `append` writes as UTF-8 (which must need no escapes: ASCII
    /// letters, digits and punctuation other than `"` and `\`).
    public mutating func string(_ name: StaticString, plain append: (inout [UInt8]) -> Void) {
        self.name(name)
        out.append(UInt8(ascii: "\""))
        let start = out.count
        append(&out)
        assert(out[start...].allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }, "\(name) needs escapes")
        out.append(UInt8(ascii: "\""))
    }

    /// Adds an integer member.
    public mutating func integer(_ name: StaticString, _ value: Int) {
        self.name(name)
        append(value)
    }

    /// Adds a member that is an array of integers.
    public mutating func integers(_ name: StaticString, _ values: [Int]) {
        self.name(name)
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(value)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Adds a member whose value is `canonical`, already in canonical form (an object written by another writer).
    public mutating func raw(_ name: StaticString, canonical: [UInt8]) {
        self.name(name)
        out.append(contentsOf: canonical)
    }

    /// Adds a member whose value is null.
    public mutating func null(_ name: StaticString) {
        self.name(name)
        out.append(contentsOf: "null".utf8)
    }

    /// The finished object's bytes.
    public consuming func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }

    private mutating func name(_ name: StaticString) {
        #if DEBUG
            let text = name.description
            assert(lastName.map { JSONWriter.precedes($0, text) } ?? true, "\(text) is out of canonical order")
            lastName = text
        #endif
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(contentsOf: "\":".utf8)
    }

    private mutating func append(_ value: Int) {
        precondition(value.magnitude < 1 << 53, "\(value) is not exact in a double")
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64) = (0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value.magnitude, count = 0
            repeat {
                buffer[15 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            return count
        }
        withUnsafeBytes(of: digits) { out.append(contentsOf: $0[(16 - count)...]) }
    }
}
