internal import COpenSSL

/// Helpers for calling OpenSSL: reading its error queue and scoping its temporary objects.
enum OpenSSL {
    /// Empties this thread's OpenSSL error queue into readable reasons, oldest first.
    ///
    /// The queue is per thread, so this must run right after the failing call.
    static func drainErrors() -> [String] {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // Decoders tried in turn queue the same reason once each.
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        return reasons
    }

    /// An error for an OpenSSL call that failed, carrying its queued reasons.
    static func failure(_ code: CryptoError.Code, _ message: String, file: String = #fileID, line: UInt = #line)
        -> CryptoError
    {
        CryptoError(code, message, reasons: drainErrors(), file: file, line: line)
    }

    /// A `crypto.openssl` error for an OpenSSL call that failed, carrying its queued reasons.
    static func failure(_ message: String, file: String = #fileID, line: UInt = #line) -> CryptoError {
        failure(.openssl, message, file: file, line: line)
    }

    /// Runs `body` with a memory BIO holding a copy of `bytes` (or an empty writable one), freed afterwards.
    static func withMemoryBIO<R>(_ bytes: [UInt8]? = nil, _ body: (OpaquePointer) throws(CryptoError) -> R)
        throws(CryptoError) -> R
    {
        let bio: OpaquePointer?
        if let bytes {
            bio = bytes.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        } else {
            bio = BIO_new(BIO_s_mem())
        }
        guard let bio else { throw failure("could not allocate a memory BIO") }
        defer { BIO_free(bio) }
        return try body(bio)
    }

    /// What a memory BIO holds, as text.
    static func contents(of bio: OpaquePointer) -> String {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        let count = copenssl_BIO_get_mem_data(bio, &pointer)
        guard let pointer, count > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(count)), as: UTF8.self)
    }

    /// Overwrites `count` bytes at `pointer` in a way the compiler cannot elide.
    static func cleanse(_ pointer: UnsafeMutableRawPointer?, count: Int) {
        guard let pointer, count > 0 else { return }
        OPENSSL_cleanse(pointer, count)
    }
}
