internal import COpenSSL

/// OpenSSL, set up for a process.
public enum CryptoLibrary {
    /// Starts OpenSSL for a process that never reads or writes an encrypted key file, without its legacy table
    /// of every cipher by name: only PKCS#8 encryption needs it (to name the cipher's object identifier), and
    /// filling it is over a third of OpenSSL's start, 0.4 ms of a whole `shikaku verify`. The system's
    /// configuration is still read. It must come before any other use of OpenSSL in the process, and after it
    /// no key file can be encrypted or decrypted; a process that does not call it gets OpenSSL's defaults.
    public static func startWithoutKeyFiles() {
        _ = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ADD_ALL_CIPHERS), nil)
    }
}
