import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// A status bit and the moment it speaks for.
public struct StatusBit: Sendable, Equatable {
    /// Whether the bit is set.
    public let isSet: Bool
    /// When the bit was true: the signing of a published list, or the day a registry was asked about. A list says
    /// nothing of the days before it was signed, so a verdict about a past date names the list it rests on.
    public let asOf: String

    /// A bit, true as of `asOf`.
    public init(isSet: Bool, asOf: String) {
        self.isSet = isSet
        self.asOf = asOf
    }
}

/// Where a verifier reads a credential's status bit.
public protocol StatusSource: Sendable {
    /// The bit at `index` of the `purpose` list at `listURL`, for a credential issued by `authority`; or
    /// why it cannot be read.
    func bit(
        listURL: String, index: Int, purpose: StatusPurpose, authority: TrustList.Authority, trust: TrustList, now: Timestamp
    ) -> Result<StatusBit, FailureReason>
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
    ) -> Result<StatusBit, FailureReason> {
        guard let list = fetch(url) else {
            return .failure(FailureReason(.statusRetrieval, "the status list \(url) is not at hand"))
        }
        let signed = list["proof"]?.objectValue?["created"]?.stringValue ?? "an unknown time"
        return StatusListCredential.verify(list, url: url, purpose: purpose, authority: authority, trust: trust, now: now)
            .flatMap { bits in Result { () throws(FailureReason) in try bits.status(at: index) } }
            .map { StatusBit(isSet: $0, asOf: "the list signed \(signed)") }
    }
}
