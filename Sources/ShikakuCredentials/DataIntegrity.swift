import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa v1.0 §3.3).
///
/// Create: copy the document's `@context` into the proof options, then
///
///     hashData  = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof))
///     proofValue = "z" + base58btc(Ed25519-Sign(hashData))        (PureEdDSA, 64 bytes)
///
/// Verify: the same hashData from the secured document with `proof` removed and the proof
/// without `proofValue`, after checking that the document's `@context` starts with the
/// proof's; then Ed25519-Verify.
public enum DataIntegrity {
    /// The proof type.
    public static let proofType = "DataIntegrityProof"
    /// The cryptosuite.
    public static let cryptosuite = "eddsa-jcs-2022"

    /// The proof options before signing (everything in `proof` but `proofValue` and `@context`).
    public struct Options: Sendable {
        /// When the proof was made, as `YYYY-MM-DDThh:mm:ssZ`.
        public var created: String
        /// The key that signs: a did:key verification method, `did:key:z6Mk…#z6Mk…`.
        public var verificationMethod: String
        /// Why it signs: `assertionMethod` for credentials.
        public var proofPurpose: String

        /// Creates options.
        public init(created: String, verificationMethod: String, proofPurpose: String = "assertionMethod") {
            self.created = created
            self.verificationMethod = verificationMethod
            self.proofPurpose = proofPurpose
        }
    }

    /// Signs `document`, returning it with a `proof` member.
    /// - Throws: `credential.malformed` if it already has a proof; `credential.signing` if signing fails.
    public static func sign(_ document: JSONObject, options: Options, key: Ed25519.PrivateKey) throws(CredentialError) -> JSONObject {
        let signer: ProofSigner
        do {
            signer = try ProofSigner(key)
        } catch {
            throw CredentialError(.signing, "the proof could not be signed: \(error)")
        }
        return try secure(document, options: options, signer: signer).document
    }

    /// A document signed by ``secure(_:options:signer:)``: its canonical form, and the document itself built
    /// only when asked for (a batch stores and sends the bytes, and never needs the tree).
    public struct Secured: Sendable {
        /// The document as given, without its proof.
        let unsigned: JSONObject
        /// The proof without its value.
        let options: JSONObject
        /// The proof's value: `z` and the signature in base58btc.
        public let proofValue: String
        /// The secured document's canonical form (the bytes to send, store and hash), spliced from the one the
        /// signature covers rather than written again.
        public let canonical: [UInt8]

        /// The document with its `proof` member.
        public var document: JSONObject {
            var proof = options
            proof["proofValue"] = .string(proofValue)
            var secured = unsigned
            secured["proof"] = .object(proof)
            return secured
        }
    }

    /// Signs `document` with a signer set up before (one per thread, for many documents).
    /// - Throws: `credential.malformed` if it already has a proof; `credential.signing` if signing fails.
    public static func secure(_ document: JSONObject, options: Options, signer: ProofSigner) throws(CredentialError) -> Secured {
        guard document["proof"] == nil else { throw CredentialError(.malformed, "the document already has a proof") }
        let unsigned = CanonicalObject(document)
        let proof = try self.proof(signing: SHA256.hash(unsigned.bytes), context: document["@context"], options: options, signer: signer)
        return Secured(
            unsigned: document, options: proof.options, proofValue: proof.value, canonical: unsigned.adding("proof", canonical: proof.canonical))
    }

    /// The proof of a document given by the SHA-256 of its canonical form without a proof, and by its
    /// `@context`: the proof options as an object, the proof's value, and the proof's canonical form (its
    /// options' with the value spliced in), for the caller to splice into the document's.
    static func proof(
        signing documentHash: SHA256.Digest, context: JSONValue?, options: Options, signer: ProofSigner
    ) throws(CredentialError) -> (options: JSONObject, value: String, canonical: [UInt8]) {
        let prepared = signer.prepared(options, context: context)
        var message: [UInt8] = []
        message.reserveCapacity(2 * SHA256.byteCount)
        prepared.hash.withUnsafeBytes { message += $0 }
        documentHash.withUnsafeBytes { message += $0 }
        let signature: [UInt8]
        do {
            signature = try signer.key.signature(for: message)
        } catch {
            throw CredentialError(.signing, "the proof could not be signed: \(error)")
        }
        let proofValue = "z" + Base58.encode(signature)
        return (prepared.proof, proofValue, prepared.canonical.adding("proofValue", .string(proofValue)))
    }

    /// The proof options as the proof object holds them, before its value: with the document's `@context`
    /// copied in, when it has one.
    static func proofOptions(_ options: Options, context: JSONValue?) -> JSONObject {
        var proof: JSONObject = [
            "type": .string(proofType), "cryptosuite": .string(cryptosuite), "created": .string(options.created),
            "verificationMethod": .string(options.verificationMethod), "proofPurpose": .string(options.proofPurpose),
        ]
        if let context { proof["@context"] = context }
        return proof
    }

    /// SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document)): 64 bytes, the proof's hash first.
    public static func hashData(proofOptions: JSONObject, document: JSONObject) -> [UInt8] {
        SHA256.hash(JSONValue.object(proofOptions).canonicalBytes).bytes
            + SHA256.hash(JSONValue.object(document).canonicalBytes).bytes
    }

    /// What checking a proof found.
    public enum Outcome: Sendable, Equatable {
        /// The signature verifies under the key of `verificationMethod`, signed at `created`.
        case verified(verificationMethod: String, created: String)
        /// It does not: why, as a ``FailureReason``.
        case failed(FailureReason)
    }

    /// Checks the proof of a secured document (vc-di-eddsa §3.3.2 and Data Integrity §4.3).
    /// - Parameters:
    ///   - secured: The document with its `proof`.
    ///   - expectedPurpose: The proof purpose to require.
    ///   - key: Resolves a verification method to its public key, or `nil` when unknown.
    public static func verify(
        _ secured: JSONObject, expectedPurpose: String = "assertionMethod", key: (String) -> Ed25519.PublicKey?
    ) -> Outcome {
        guard case .object(var proof)? = secured["proof"] else {
            return .failed(.init(.proofMissing, "the document has no proof object"))
        }
        guard case .string(let type)? = proof["type"], case .string(let method)? = proof["verificationMethod"],
            case .string(let purpose)? = proof["proofPurpose"]
        else { return .failed(.init(.proofMalformed, "the proof lacks type, verificationMethod or proofPurpose")) }
        guard type == proofType, proof["cryptosuite"] == .string(cryptosuite) else {
            return .failed(.init(.unknownCryptosuite, "the proof is not a DataIntegrityProof with cryptosuite eddsa-jcs-2022"))
        }
        guard purpose == expectedPurpose else {
            return .failed(.init(.proofMalformed, "the proof's purpose is \(purpose), not \(expectedPurpose)"))
        }
        guard case .string(let created)? = proof["created"], isDateTimeStamp(created) else {
            return .failed(.init(.proofMalformed, "the proof's created time is missing or not a dateTimeStamp"))
        }
        guard case .string(let proofValue)? = proof["proofValue"], proofValue.hasPrefix("z"), let signature = try? Base58.decode(String(proofValue.dropFirst())), signature.count == 64
        else { return .failed(.init(.proofMalformed, "the proofValue is not z + base58btc of 64 bytes")) }
        proof["proofValue"] = nil
        var document = secured.removing("proof")
        if let proofContext = proof["@context"] {
            // The document's @context must start with the proof's, in order (vc-di-eddsa §3.3.2 step 5).
            let documentContexts = contexts(document["@context"])
            let proofContexts = contexts(proofContext)
            guard !proofContexts.isEmpty, documentContexts.starts(with: proofContexts) else {
                return .failed(.init(.contextMismatch, "the document's @context does not start with the proof's @context"))
            }
            document["@context"] = proofContext
        }
        guard let publicKey = key(method) else {
            return .failed(.init(.unknownKey, "the verification method \(method) is not a known key"))
        }
        let message = hashData(proofOptions: proof, document: document)
        guard publicKey.isValidSignature(signature, for: message) else {
            return .failed(.init(.badSignature, "the signature does not match the document: it was altered, or signed by another key"))
        }
        return .verified(verificationMethod: method, created: created)
    }

    private static func contexts(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case .array(let items)?: items
        case let single?: [single]
        case nil: []
        }
    }

    /// Whether `text` is an XML Schema `dateTimeStamp`: `YYYY-MM-DDThh:mm:ss`, optional fraction, and a zone
    /// (`Z` or `±hh:mm`).
    static func isDateTimeStamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ (48...57).contains($0) }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard bytes.count >= 20, (try? CalendarDate(iso: String(decoding: bytes[0..<10], as: UTF8.self))) != nil,
            bytes[10] == UInt8(ascii: "T"), let hour = digits(11..<13), bytes[13] == UInt8(ascii: ":"),
            let minute = digits(14..<16), bytes[16] == UInt8(ascii: ":"), let second = digits(17..<19),
            hour < 24, minute < 60, second < 60
        else { return false }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > start else { return false }
        }
        if index == bytes.count - 1 { return bytes[index] == UInt8(ascii: "Z") }
        guard index == bytes.count - 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            let zoneHour = digits(index + 1..<index + 3), bytes[index + 3] == UInt8(ascii: ":"),
            let zoneMinute = digits(index + 4..<index + 6)
        else { return false }
        return zoneHour <= 14 && zoneMinute < 60
    }
}
