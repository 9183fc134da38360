import ShikakuCrypto

/// Reads a binary block of a journal record (``FactsBlock``, ``StateBlock``) front to back, never past its end.
struct BlockReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// What the block is, for messages: "facts block", "state block".
    let name: String
    var position: Int
    var end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, name: String, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.name = name
        position = start
        self.end = end ?? bytes.count
    }

    /// Damage to the block: what is wrong with it.
    func damaged(_ what: String) -> StoreError { StoreError(.damaged, "a journal record's \(name) \(what)") }

    private mutating func take(_ count: Int) throws(StoreError) -> UnsafeBufferPointer<UInt8> {
        guard count <= end - position else { throw damaged("is cut short") }
        defer { position += count }
        return UnsafeBufferPointer(rebasing: bytes[position..<position + count])
    }

    mutating func byte() throws(StoreError) -> UInt8 { try take(1)[0] }

    mutating func skip(_ count: Int) throws(StoreError) { _ = try take(count) }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(StoreError) -> T {
        UnsafeRawBufferPointer(try take(MemoryLayout<T>.size)).loadLittleEndian(T.self, at: 0)
    }

    mutating func digest() throws(StoreError) -> SHA256.Digest {
        guard let digest = SHA256.Digest(bytes: try take(SHA256.byteCount)) else { preconditionFailure("32 bytes make a digest") }
        return digest
    }

    /// Whether an optional value follows: a byte 1 before it, 0 for none.
    mutating func present() throws(StoreError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw damaged("has \(other) where 0 (none) or 1 (a value follows) belongs")
        }
    }

    /// Which of `known` the short string here spells, if any: names are matched as bytes, so that no string
    /// is made or compared for each record.
    mutating func index(among known: [[UInt8]]) throws(StoreError) -> Int? {
        let utf8 = try take(Int(try byte()))
        return known.firstIndex { $0.count == utf8.count && $0.elementsEqual(utf8) }
    }

    /// The element of `table` whose position the byte here gives.
    mutating func entry<T>(of table: [T], _ what: String) throws(StoreError) -> T {
        let index = Int(try byte())
        guard index < table.count else { throw damaged("has \(what) \(index); this version knows \(table.count)") }
        return table[index]
    }

    mutating func string(lengthBytes: Int) throws(StoreError) -> String {
        let count = lengthBytes == 1 ? Int(try byte()) : Int(try integer(UInt16.self))
        let utf8 = try take(count)
        // ASCII needs no validating: decoding it cannot repair anything, and costs less than checking.
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw damaged("has a name that is not UTF-8") }
        return text
    }

    /// Checks that the block was read to its end.
    func finish() throws(StoreError) {
        guard position == end else { throw damaged("has bytes left over") }
    }
}

extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 after its length in `lengthBytes` bytes (1 or 2), or returns false, appending
    /// nothing, when it is too long for them.
    @discardableResult
    mutating func appendBlockString(_ text: String, lengthBytes: Int) -> Bool {
        let bytes = text.utf8
        guard bytes.count < 1 << (8 * lengthBytes) else { return false }
        if lengthBytes == 1 { append(UInt8(bytes.count)) } else { appendLittleEndian(UInt16(bytes.count)) }
        // A native string's bytes are copied at once; appended as a sequence they would go one by one.
        if bytes.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil { self += bytes }
        return true
    }

    mutating func appendDigest(_ digest: SHA256.Digest) { digest.withUnsafeBytes { append(contentsOf: $0) } }
}
