import Glibc

/// Each thread's prepared Ed25519 verifiers, by public key, and the keys of the `did:key`s it has read.
///
/// Verifying costs a third more when every check creates its OpenSSL key and context again, and decoding a
/// `did:key` (base58) costs another few percent; the callers (a credential's proof, a status list's, a
/// checkpoint's note) know a key only as bytes or text, and see the same few keys again and again. The cache is
/// kept per thread because an OpenSSL context must not be shared; a thread's cache goes when the thread ends.
final class ThreadKeyCache {
    /// A registry or trust list names a handful of keys; past this many, a cache starts again.
    private static let capacity = 64
    private var verifiers: [Ed25519.PublicKey: Ed25519.Verifier] = [:]
    private var didKeys: [String: Ed25519.PublicKey] = [:]

    /// The calling thread's cache.
    static var current: ThreadKeyCache {
        if let stored = pthread_getspecific(threadKey.value) {
            return Unmanaged<ThreadKeyCache>.fromOpaque(stored).takeUnretainedValue()
        }
        let cache = ThreadKeyCache()
        pthread_setspecific(threadKey.value, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    /// The prepared verifier for `key`, or `nil` if OpenSSL refuses the key.
    func verifier(for key: Ed25519.PublicKey) -> Ed25519.Verifier? {
        if let verifier = verifiers[key] { return verifier }
        guard let verifier = try? Ed25519.Verifier(key) else { return nil }
        if verifiers.count >= Self.capacity { verifiers.removeAll() }
        verifiers[key] = verifier
        return verifier
    }

    /// The key of `text`, a `did:key` or its verification method, decoded once.
    func publicKey(didKey text: String) throws(CryptoError) -> Ed25519.PublicKey {
        if let key = didKeys[text] { return key }
        let key = try Ed25519.PublicKey(decodingDidKey: text)
        if didKeys.count >= Self.capacity { didKeys.removeAll() }
        didKeys[text] = key
        return key
    }

    /// The thread-specific slot; its destructor releases a thread's cache when the thread ends.
    private static let threadKey = ThreadKey()

    private struct ThreadKey: Sendable {
        let value: pthread_key_t

        init() {
            var key = pthread_key_t()
            // Only fails when the process has used all its thread keys (PTHREAD_KEYS_MAX), which this one does not.
            precondition(pthread_key_create(&key) { Unmanaged<ThreadKeyCache>.fromOpaque($0!).release() } == 0,
                         "no thread-specific key left for the key cache")
            value = key
        }
    }
}
