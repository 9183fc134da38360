import ShikakuCrypto
import ShikakuJSON

/// Signs Data Integrity proofs on one thread, for many documents: the key set up once, the last proof
/// options kept in canonical form with their hash, and the random bytes of credentials' UUIDs drawn ahead.
///
/// A batch's credentials share their proof options (key, purpose, context) and differ only when `created`
/// turns a second; writing and hashing the options again for each would cost a twentieth of issuing one.
public final class ProofSigner {
    /// The key, set up for this thread.
    let key: Ed25519.Signer
    private var last: PreparedOptions?
    /// Random bytes drawn ahead for credentials' UUIDs, and how many UUIDs' worth are left: one call into
    /// OpenSSL's generator, whose locks and reseed checks cost a fiftieth of issuing a credential, serves many.
    private var random: [UInt8] = []
    private var uuidsLeft = 0
    private static let uuidsDrawn = 64

    /// Sets `key` up for signing on the calling thread (an OpenSSL context is not to be shared).
    /// - Throws: `crypto.*` if OpenSSL refuses the key.
    public init(_ key: Ed25519.PrivateKey) throws(CryptoError) {
        self.key = try key.signer()
    }

    /// A random version-4 UUID, as a credential's `urn:uuid:` identifier.
    /// - Throws: `credential.signing` if the random generator fails.
    func randomUUID() throws(CredentialError) -> String {
        if uuidsLeft == 0 {
            guard let bytes = try? SecureRandom.bytes(count: 16 * Self.uuidsDrawn) else {
                throw CredentialError(.signing, "the random number generator failed")
            }
            random = bytes
            uuidsLeft = Self.uuidsDrawn
        }
        uuidsLeft -= 1
        return QualificationCredential.uuid(random[(16 * uuidsLeft)..<(16 * uuidsLeft + 16)])
    }

    /// Proof options with a document's `@context` copied in, as an object, in canonical form and hashed. A
    /// class: every credential a batch signs is handed the same one.
    final class PreparedOptions {
        let options: DataIntegrity.Options
        let context: JSONValue?
        let proof: JSONObject
        let canonical: CanonicalObject
        let hash: SHA256.Digest

        init(options: DataIntegrity.Options, context: JSONValue?, proof: JSONObject, canonical: CanonicalObject, hash: SHA256.Digest) {
            self.options = options
            self.context = context
            self.proof = proof
            self.canonical = canonical
            self.hash = hash
        }
    }

    /// The proof options of a document whose `@context` is `context`.
    func prepared(_ options: DataIntegrity.Options, context: JSONValue?) -> PreparedOptions {
        if let last, Self.same(last.options, options), last.context == context { return last }
        let proof = DataIntegrity.proofOptions(options, context: context)
        let canonical = CanonicalObject(proof)
        let made = PreparedOptions(options: options, context: context, proof: proof, canonical: canonical, hash: SHA256.hash(canonical.bytes))
        last = made
        return made
    }

    /// Whether two sets of options are the same text, scalar for scalar: Swift's `==` on strings would take
    /// canonically equivalent ones (`é` and `e` with a combining accent) for the same, and sign the other.
    private static func same(_ a: DataIntegrity.Options, _ b: DataIntegrity.Options) -> Bool {
        JSONValue.sameScalars(a.created, b.created) && JSONValue.sameScalars(a.verificationMethod, b.verificationMethod)
            && JSONValue.sameScalars(a.proofPurpose, b.proofPurpose)
    }
}
