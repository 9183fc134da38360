import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// Where a verifier reads a credential's status bit.
public protocol StatusSource: Sendable {
    /// The bit at `index` of the `purpose` list at `listURL`, for a credential issued by `authority`; or
    /// why it cannot be read.
    func bit(
        listURL: String, index: Int, purpose: StatusPurpose, authority: TrustList.Authority, trust: TrustList, now: Timestamp
    ) -> Result<Bool, FailureReason>
}

/// Status from published, signed BitstringStatusListCredentials (W3C BSL §3.2): fetched by URL from an
/// export folder, a cache or a bundle, verified against the trust list, and decoded.
public struct PublishedStatusLists: StatusSource {
    /// Finds a list credential by URL.
    public let fetch: @Sendable (String) -> JSONObject?

    /// Status read from lists `fetch` finds.
    public init(fetch: @escaping @Sendable (String) -> JSONObject?) { self.fetch = fetch }

    public func bit(
        listURL url: String, index: Int, purpose: StatusPurpose, authority: TrustList.Authority, trust: TrustList, now: Timestamp
    ) -> Result<Bool, FailureReason> {
        guard let list = fetch(url) else {
            return .failure(FailureReason(.statusRetrieval, "the status list \(url) is not at hand"))
        }
        let outcome = DataIntegrity.verify(list) { method in
            guard let did = method.split(separator: "#").first.map(String.init), let (owner, _) = trust.key(did), owner.id == authority.id
            else { return nil }
            return try? Ed25519.PublicKey(didKey: method)
        }
        guard case .verified = outcome else {
            return .failure(FailureReason(.statusVerification, "the status list's signature is not by a key of \(authority.name)"))
        }
        guard list["id"]?.stringValue == url, let subject = list["credentialSubject"]?.objectValue,
            subject["statusPurpose"]?.stringValue == purpose.rawValue, let encoded = subject["encodedList"]?.stringValue
        else {
            return .failure(FailureReason(.statusVerification, "the status list is not the \(purpose.rawValue) list the credential names"))
        }
        if let until = list["validUntil"]?.stringValue.flatMap({ try? Timestamp(iso: $0) }), until < now {
            return .failure(FailureReason(.statusVerification, "the status list expired at \(until.iso); fetch a fresh one"))
        }
        return Result { () throws(FailureReason) in try BitstringStatusList.decode(encoded).status(at: index) }
    }
}
