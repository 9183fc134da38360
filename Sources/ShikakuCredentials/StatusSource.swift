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
        return StatusListCredential.verify(list, url: url, purpose: purpose, authority: authority, trust: trust, now: now)
            .flatMap { bits in Result { () throws(FailureReason) in try bits.status(at: index) } }
    }
}
