import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// Whether a signed document already published (the trust list, a status list) can stay as it is, rather
/// than be replaced by the same statement signed again.
///
/// It can when it says what the fresh one says once the proof and the `validFrom` and `validUntil` times
/// are set aside, its proof verifies under the key that would sign the fresh one, and it is comfortably
/// valid: it has begun, and more than half of its window (`validFrom` to `validUntil`) is still ahead, so
/// that a daily export renews a status list of one day well before any verifier or cache sees it expire.
/// A document without `validUntil` (the trust list) stays until what it says changes.
enum SignedDocumentCurrency {
    /// The members that change with every signing, and nothing else.
    static let signingMembers = ["proof", "validFrom", "validUntil"]

    /// Whether `published` (a file's bytes) can stay in place of `fresh`, signed by `key`, at `now`.
    static func canStay(_ published: [UInt8], for fresh: JSONObject, key: Ed25519.PublicKey, at now: Timestamp) -> Bool {
        guard let old = (try? JSONValue.parse(published))?.objectValue, statement(old) == statement(fresh) else { return false }
        let method = key.didKeyVerificationMethod
        guard case .verified = DataIntegrity.verify(old, key: { $0 == method ? key : nil }) else { return false }
        guard case .string(let from)? = old["validFrom"], let start = try? Timestamp(iso: from), start <= now else { return false }
        guard let until = old["validUntil"] else { return true }
        guard case .string(let text) = until, let end = try? Timestamp(iso: text) else { return false }
        return 2 * (end.secondsSinceEpoch - now.secondsSinceEpoch) > end.secondsSinceEpoch - start.secondsSinceEpoch
    }

    /// What a document says, in canonical bytes, apart from its signing.
    static func statement(_ document: JSONObject) -> [UInt8] {
        JSONValue.object(signingMembers.reduce(document) { $0.removing($1) }).canonicalBytes
    }
}
