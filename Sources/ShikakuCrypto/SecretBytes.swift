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

    /// A secret of `count` bytes that `body` writes straight into the storage that will be wiped, so that no
    /// other buffer ever holds them. If `body` throws, the storage is wiped and the error rethrown.
    /// - Parameters:
    ///   - count: How many bytes the secret has.
    ///   - body: Fills the buffer (`count` bytes, zeroed on entry). Do not let the pointer escape.
    /// - Throws: What `body` throws.
    public init<E: Error>(count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        let storage = Storage(count: count)
        try body(UnsafeMutableRawBufferPointer(rebasing: storage.pointer[0..<count]))
        self.storage = storage
        self.count = count
    }

    /// Copies `bytes`, then overwrites the caller's array in place with `OPENSSL_cleanse`.
    ///
    /// The array is taken `inout` so that the wipe reaches the caller's own buffer: an array passed by
    /// value can share its buffer with the caller's variable, and writing to it would wipe a fresh copy
    /// (copy on write) while the original kept the secret. Hold no other copy of the array.
    /// - Parameter bytes: The secret; all zeros afterwards.
    public init(wiping bytes: inout [UInt8]) {
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

    /// Copies `bytes` and leaves the array as it is: for bytes the caller need not hide (a passphrase
    /// written in a test, a published test vector). For a secret held in an array, use ``init(wiping:)``.
    public init(copying bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { SecretBytes(copying: $0) }
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
    /// held a secret before it was copied into a `SecretBytes`. Pass the array that holds the secret, not a copy.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { OpenSSL.cleanse($0.baseAddress, count: $0.count) }
    }
}
