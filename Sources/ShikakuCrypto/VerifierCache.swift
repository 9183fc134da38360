import Glibc

/// Each thread's prepared Ed25519 verifiers, by public key.
///
/// Verifying costs a third more when every check creates its OpenSSL key and context again, and the callers
/// (a credential's proof, a status list's, a checkpoint's note) know a key only as bytes. The verifiers are kept
/// per thread because an OpenSSL context must not be shared; a thread's cache goes when the thread ends.
final class VerifierCache {
    /// A registry or trust list names a handful of keys; past this many, the cache starts again.
    private static let capacity = 64
    private var verifiers: [Ed25519.PublicKey: Ed25519.Verifier] = [:]

    /// The calling thread's cache.
    static var current: VerifierCache {
        if let stored = pthread_getspecific(threadKey.value) {
            return Unmanaged<VerifierCache>.fromOpaque(stored).takeUnretainedValue()
        }
        let cache = VerifierCache()
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

    /// The thread-specific slot; its destructor releases a thread's cache when the thread ends.
    private static let threadKey = ThreadKey()

    private struct ThreadKey: Sendable {
        let value: pthread_key_t

        init() {
            var key = pthread_key_t()
            // Only fails when the process has used all its thread keys (PTHREAD_KEYS_MAX), which this one does not.
            precondition(pthread_key_create(&key) { Unmanaged<VerifierCache>.fromOpaque($0!).release() } == 0,
                         "no thread-specific key left for the verifier cache")
            value = key
        }
    }
}
