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
        precondition(bound > 0, "empty range")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = try bytes(count: 8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            if value < limit { return value % bound }
        }
    }
}
