/// Bytes that must not outlive their use: passphrases, seeds, the registry's secret.
///
/// The bytes live in one heap buffer shared by all copies, overwritten with
/// `OPENSSL_cleanse` when the last copy goes. The description never shows them.
public struct SecretBytes: Sendable, CustomStringConvertible {
    private final class Storage: @unchecked Sendable {
        let pointer: UnsafeMutableRawBufferPointer

        init(count: Int) {
            pointer = .allocate(byteCount: max(count, 1), alignment: 16)
            pointer.initializeMemory(as: UInt8.self, repeating: 0)
        }

        deinit {
            OpenSSL.cleanse(pointer.baseAddress, count: pointer.count)
            pointer.deallocate()
        }
    }

    private let storage: Storage
    /// How many bytes it holds.
    public let count: Int

    /// Takes `bytes` and wipes the array's buffer after copying it; pass the last reference to it, so that no
    /// copy of the secret stays behind.
    public init(_ bytes: consuming [UInt8]) {
        count = bytes.count
        storage = Storage(count: count)
        bytes.withUnsafeMutableBytes { source in
            storage.pointer.copyMemory(from: UnsafeRawBufferPointer(source))
            OpenSSL.cleanse(source.baseAddress, count: source.count)
        }
    }

    /// Copies the bytes at `buffer`; the caller cleans its own buffer.
    public init(copying buffer: UnsafeRawBufferPointer) {
        count = buffer.count
        storage = Storage(count: count)
        storage.pointer.copyMemory(from: buffer)
    }

    /// Calls `body` with the bytes. Do not let them escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage.pointer[0..<count]))
    }

    /// Whether two secrets hold the same bytes, compared in constant time.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in other.withUnsafeBytes { b in zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 } }
    }

    public var description: String { "<secret>" }

    /// Overwrites `bytes` in place with `OPENSSL_cleanse`, which the compiler cannot elide: for buffers that
    /// held a secret before it was copied into a `SecretBytes`.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { OpenSSL.cleanse($0.baseAddress, count: $0.count) }
    }
}
