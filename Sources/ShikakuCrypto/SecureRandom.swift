internal import COpenSSL

/// Random bytes from OpenSSL's CSPRNG (`RAND_bytes`), for keys, secrets, nonces, identifiers and
/// status-list indexes.
public enum SecureRandom {
    /// `count` random bytes.
    /// - Throws: `crypto.random-failed` if the generator is not seeded or fails.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count == 0 || bytes.withUnsafeMutableBytes({ RAND_bytes($0.baseAddress, Int32($0.count)) }) == 1 else {
            throw OpenSSL.failure(.randomFailed, "the system's random number generator failed")
        }
        return bytes
    }

    /// `count` random bytes as a secret.
    /// - Throws: `crypto.random-failed`.
    public static func secret(count: Int) throws(CryptoError) -> SecretBytes {
        try SecretBytes(count: count) { (buffer) throws(CryptoError) in
            guard count == 0 || RAND_bytes(buffer.baseAddress, Int32(buffer.count)) == 1 else {
                throw OpenSSL.failure(.randomFailed, "the system's random number generator failed")
            }
        }
    }

    /// A uniformly random integer in `0..<bound`, by rejection sampling (no modulo bias).
    /// - Throws: `crypto.random-failed`.
    public static func uniform(below bound: UInt64) throws(CryptoError) -> UInt64 {
        try uniform(below: bound) { () throws(CryptoError) in try bytes(count: 8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }
    }

    fileprivate static func uniform(below bound: UInt64, _ draw: () throws(CryptoError) -> UInt64) throws(CryptoError) -> UInt64 {
        precondition(bound > 0, "empty range")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = try draw()
            if value < limit { return value % bound }
        }
    }

    /// Random integers drawn from the generator a block at a time: one `RAND_bytes` call costs as much as
    /// a few hundred integers taken from a block, and a batch draws a status-list index a row. Not for
    /// secrets: the block stays in memory until it is used up.
    public final class Pool {
        private var block: [UInt64]
        private var next: Int

        /// A pool that draws `size` integers at a time.
        public init(size: Int = 128) {
            precondition(size > 0, "an empty pool")
            block = Array(repeating: 0, count: size)
            next = size
        }

        /// A uniformly random integer in `0..<bound`, as ``SecureRandom/uniform(below:)``.
        /// - Throws: `crypto.random-failed`.
        public func uniform(below bound: UInt64) throws(CryptoError) -> UInt64 {
            try SecureRandom.uniform(below: bound) { () throws(CryptoError) in
                if next == block.count {
                    guard block.withUnsafeMutableBytes({ RAND_bytes($0.baseAddress, Int32($0.count)) }) == 1 else {
                        throw OpenSSL.failure(.randomFailed, "the system's random number generator failed")
                    }
                    next = 0
                }
                defer { next += 1 }
                return block[next]
            }
        }
    }
}
