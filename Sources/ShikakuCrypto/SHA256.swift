internal import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// A SHA-256 digest, held inline: hashing millions of Merkle nodes allocates nothing.
    public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
        private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        init(filling body: (UnsafeMutableRawBufferPointer) -> Void) {
            Swift.withUnsafeMutableBytes(of: &words) { body($0) }
        }

        /// The digest whose bytes are `bytes`, or `nil` unless there are exactly 32.
        public init?(bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count == SHA256.byteCount, let source = bytes.baseAddress else { return nil }
            Swift.withUnsafeMutableBytes(of: &words) { $0.baseAddress?.copyMemory(from: source, byteCount: SHA256.byteCount) }
        }

        /// The digest whose bytes are `bytes`, or `nil` unless there are exactly 32.
        public init?(bytes: some Collection<UInt8>) {
            guard bytes.count == SHA256.byteCount else { return nil }
            Swift.withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: bytes) }
        }

        /// The digest spelled by 64 hex digits of either case, or `nil`.
        public init?(hex: String) {
            var text = hex
            guard let digest = text.withUTF8({ Digest(hexUTF8: $0) }) else { return nil }
            self = digest
        }

        /// The digest spelled by 64 hex digits of either case in `digits`, or `nil`. Allocates nothing:
        /// replaying a journal decodes several digests a record.
        public init?(hexUTF8 digits: UnsafeBufferPointer<UInt8>) {
            guard digits.count == 2 * SHA256.byteCount else { return nil }
            var valid = true
            Swift.withUnsafeMutableBytes(of: &words) { out in
                for index in 0..<SHA256.byteCount {
                    let high = Hex.values[Int(digits[2 * index])], low = Hex.values[Int(digits[2 * index + 1])]
                    valid = valid && high | low < 16
                    out[index] = high << 4 | low & 15
                }
            }
            guard valid else { return nil }
        }

        /// The 32 bytes.
        public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

        /// Lower-case hex.
        public var hex: String { withUnsafeBytes { Hex.encode($0) } }

        /// Appends the lower-case hex to `out`.
        public func appendHex(to out: inout [UInt8]) { withHex { out.append(contentsOf: $0) } }

        /// Lends `body` the lower-case hex, after `prefix`, formed in place: journal records and leaves carry
        /// digests, and no array need be made for them. Not generic, so that other modules call it as it is.
        public func withHex(prefix: StaticString = "", _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
            withUnsafeBytes { digest in Hex.withHex(of: digest, prefix: prefix, body) }
        }

        /// Lower-case hex of any bytes.
        public static func hexString(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(bytes) }

        /// The bytes spelled by an even number of hex digits, or `nil`.
        public static func bytes(hex: String) -> [UInt8]? {
            let digits = Array(hex.utf8)
            guard digits.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(digits.count / 2)
            for index in stride(from: 0, to: digits.count, by: 2) {
                let high = Hex.values[Int(digits[index])], low = Hex.values[Int(digits[index + 1])]
                guard high | low < 16 else { return nil }
                bytes.append(high << 4 | low)
            }
            return bytes
        }

        public var description: String { hex }

        /// Calls `body` with the 32 bytes.
        public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try Swift.withUnsafeBytes(of: words, body)
        }

        public static func == (lhs: Digest, rhs: Digest) -> Bool {
            lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
                && lhs.words.3 == rhs.words.3
        }

        public func hash(into hasher: inout Swift.Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }

        /// The first eight bytes, read big-endian: where the digest falls in byte-wise order, to the nearest
        /// 2⁻⁶⁴, for a sort that buckets digests before comparing them.
        public var leadingBits: UInt64 { UInt64(bigEndian: words.0) }

        /// Byte-wise order, as a sorted index wants: the words hold the bytes in order, so read big-endian
        /// they compare as the bytes do.
        public static func < (lhs: Digest, rhs: Digest) -> Bool {
            let (a, b) = (lhs.words, rhs.words)
            if a.0 != b.0 { return UInt64(bigEndian: a.0) < UInt64(bigEndian: b.0) }
            if a.1 != b.1 { return UInt64(bigEndian: a.1) < UInt64(bigEndian: b.1) }
            if a.2 != b.2 { return UInt64(bigEndian: a.2) < UInt64(bigEndian: b.2) }
            return UInt64(bigEndian: a.3) < UInt64(bigEndian: b.3)
        }
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        Digest { out in
            var length: UInt32 = 0
            guard
                EVP_Digest(
                    bytes.baseAddress, bytes.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length,
                    FetchedSHA256.shared.algorithm, nil) == 1
            else { preconditionFailure("OpenSSL SHA-256 failed: \(OpenSSL.drainErrors())") }
        }
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> Digest { bytes.withUnsafeBytes { hash($0) } }

    /// The digest of `bytes`.
    public static func hash(_ bytes: ArraySlice<UInt8>) -> Digest { bytes.withUnsafeBytes { hash($0) } }

    /// The digest of `text`'s UTF-8.
    public static func hash(_ text: String) -> Digest {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// Streaming SHA-256, for files and for hashing parts without concatenating them.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        /// A hasher over nothing yet.
        public init() {
            guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, FetchedSHA256.shared.algorithm, nil) == 1 else {
                preconditionFailure("OpenSSL cannot start SHA-256: \(OpenSSL.drainErrors())")
            }
            self.context = context
        }

        private init(copying other: borrowing Hasher) {
            guard let context = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(context, other.context) == 1 else {
                preconditionFailure("OpenSSL cannot copy a SHA-256 state: \(OpenSSL.drainErrors())")
            }
            self.context = context
        }

        deinit { EVP_MD_CTX_free(context) }

        /// A hasher that goes on from where this one stands, apart from it: two messages that start alike
        /// hash their common start once.
        public func copy() -> Hasher { Hasher(copying: self) }

        /// Adds `bytes`.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
                preconditionFailure("OpenSSL SHA-256 update failed: \(OpenSSL.drainErrors())")
            }
        }

        /// Adds `bytes`.
        public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

        /// Adds `bytes`.
        public mutating func update(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBytes { update($0) } }

        /// The digest of everything added.
        public consuming func finalize() -> Digest {
            Digest { out in
                var length: UInt32 = 0
                guard EVP_DigestFinal_ex(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1 else {
                    preconditionFailure("OpenSSL SHA-256 final failed: \(OpenSSL.drainErrors())")
                }
            }
        }
    }
}

/// SHA-256 fetched from OpenSSL's default provider once. OpenSSL 3 fetches the algorithm by name on every
/// `SHA256()` or `EVP_sha256()` digest, which costs more than hashing a credential; a fetched `EVP_MD` skips it.
/// It lives as long as the process.
final class FetchedSHA256: @unchecked Sendable {
    static let shared = FetchedSHA256()
    let algorithm: OpaquePointer

    private init() {
        guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else {
            preconditionFailure("OpenSSL has no SHA-256: \(OpenSSL.drainErrors())")
        }
        self.algorithm = algorithm
    }
}

/// Lower-case hex for digests and keys.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        let alphabet: StaticString = "0123456789abcdef"
        for byte in bytes {
            out.append(alphabet.utf8Start[Int(byte >> 4)])
            out.append(alphabet.utf8Start[Int(byte & 15)])
        }
    }

    /// Lends `body` `prefix` and the hex of `bytes`, formed in place two digits a byte from a table.
    static func withHex(of bytes: UnsafeRawBufferPointer, prefix: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let start = prefix.utf8CodeUnitCount, count = start + 2 * bytes.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { text in
            let raw = UnsafeMutableRawBufferPointer(text)
            if start > 0 { raw.copyMemory(from: UnsafeRawBufferPointer(start: prefix.utf8Start, count: start)) }
            pairs.withUnsafeBufferPointer { pairs in
                for (index, byte) in bytes.enumerated() { raw.storeBytes(of: pairs[Int(byte)], toByteOffset: start + 2 * index, as: UInt16.self) }
            }
            body(UnsafeBufferPointer(rebasing: text[..<count]))
        }
    }

    /// Each byte's two digits, as they lie in memory.
    private static let pairs: [UInt16] = (0...255).map { byte in
        let alphabet = Array("0123456789abcdef".utf8)
        return UInt16(littleEndian: UInt16(alphabet[byte >> 4]) | UInt16(alphabet[byte & 15]) << 8)
    }

    /// Each byte's value as a hex digit of either case; 0xFF for a byte that is none.
    static let values: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }
}
