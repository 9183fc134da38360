import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// A signed BitstringStatusListCredential (W3C BSL §2.2): one authority's list for one purpose.
public enum StatusListCredential {
    /// How long a published list may be cached: one day, in milliseconds (the `ttl` member).
    public static let timeToLive = 86_400_000

    /// Signs `list` as the status list `number` for `purpose` of `issuer`, valid from `time` for a day.
    /// - Throws: `credential.status-list` or `credential.signing`.
    public static func signed(
        _ list: BitstringStatusList, purpose: StatusPurpose, number: Int, issuer: Issuer, site: PublicationSite, at time: Timestamp
    ) throws(CredentialError) -> JSONObject {
        let url = site.statusListURL(authority: issuer.authorityID, purpose: purpose, list: number)
        let until = Timestamp(secondsSinceEpoch: time.secondsSinceEpoch + Int64(timeToLive / 1000))
        let document: JSONObject = [
            "@context": [.string(QualificationCredential.baseContext)], "id": .string(url),
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": ["id": .string(issuer.did), "name": .string(issuer.name)], "validFrom": .string(time.iso),
            "validUntil": .string(until.iso),
            "credentialSubject": [
                "id": .string(url + "#list"), "type": "BitstringStatusList", "statusPurpose": .string(purpose.rawValue),
                "encodedList": .string(try list.encoded()), "ttl": .number(JSONNumber(timeToLive)),
            ],
        ]
        let options = DataIntegrity.Options(created: time.iso, verificationMethod: issuer.verificationMethod)
        return try DataIntegrity.sign(document, options: options, key: issuer.key)
    }

    /// Checks that `list` is the `purpose` list at `url` of `authority`, usable at `now`, and returns its bits
    /// (W3C BSL §3.2 validate steps 2–5).
    ///
    /// Its proof must verify and be made by a key the trust list gives `authority`, inside that key's
    /// window: a list is not trusted about itself, or a stolen retired key could clear anyone's bits. It
    /// must be valid at `now` (`validFrom`, `validUntil`, and not past its `ttl`), and its `statusPurpose`, a
    /// string or an array of them, must include `purpose`.
    /// - Returns: The bits; or STATUS_VERIFICATION_ERROR, or what ``BitstringStatusList/decode(_:minimumEntries:)``
    ///   finds wrong with `encodedList`.
    public static func verify(
        _ list: JSONObject, url: String, purpose: StatusPurpose, authority: TrustList.Authority, trust: TrustList, now: Timestamp
    ) -> Result<BitstringStatusList, FailureReason> {
        func refuse(_ why: String) -> Result<BitstringStatusList, FailureReason> {
            .failure(FailureReason(.statusVerification, "the status list \(url) \(why)"))
        }
        // did:key names its own key; whether it may sign for the authority is the trust list's question.
        let outcome = DataIntegrity.verify(list) { method in try? Ed25519.PublicKey(didKey: method) }
        guard case .verified(let method, let created) = outcome else {
            if case .failed(let reason) = outcome { return refuse("does not verify: \(reason.message)") }
            return refuse("does not verify")
        }
        switch trust.signer(method, created: created) {
        case .failure(let reason): return refuse("is not signed by a trusted key: \(reason.message)")
        case .success(let signer) where signer.authority.id != authority.id:
            return refuse("is signed by a key of \(signer.authority.name), not of \(authority.name)")
        case .success: break
        }
        guard CredentialVerifier.issuerID(list) == TrustList.did(of: method) else { return refuse("names an issuer other than its signing key") }
        guard list["id"]?.stringValue == url else { return refuse("is another list: its id is \(list["id"]?.stringValue ?? "missing")") }
        var window: [String: Timestamp] = [:]
        for member in ["validFrom", "validUntil"] where list[member] != nil {
            guard let time = list[member]?.stringValue.flatMap({ try? Timestamp(iso: $0) }) else {
                return refuse("has a \(member) that is not a UTC time")
            }
            window[member] = time
        }
        if let from = window["validFrom"], now < from { return refuse("is not valid before \(from.iso)") }
        if let until = window["validUntil"], until < now { return refuse("expired at \(until.iso); fetch a fresh one") }
        guard let subject = list["credentialSubject"]?.objectValue else { return refuse("has no credentialSubject") }
        guard let purposes = statusPurposes(subject["statusPurpose"]), purposes.contains(purpose.rawValue) else {
            return refuse("is not a \(purpose.rawValue) list (statusPurpose \(subject["statusPurpose"]?.canonicalString ?? "missing"))")
        }
        if let ttl = subject["ttl"] {
            // BSL §2.2: how long the list may be cached. Offline, when it was fetched is unknown; its validFrom is the
            // latest moment it can have been fetched fresh, so it is stale from validFrom + ttl.
            guard let milliseconds = ttl.intValue, milliseconds >= 0 else {
                return refuse("has a ttl that is not a whole number of milliseconds (\(ttl.canonicalString))")
            }
            if let from = window["validFrom"], from.secondsSinceEpoch + Int64(milliseconds / 1000) < now.secondsSinceEpoch {
                return refuse("is stale: its ttl of \(milliseconds) ms from \(from.iso) has passed; fetch a fresh one")
            }
        }
        guard let encoded = subject["encodedList"]?.stringValue else { return refuse("has no encodedList") }
        return Result { () throws(FailureReason) in try BitstringStatusList.decode(encoded) }
    }

    /// A list's `statusPurpose`, which BSL §2.2 allows as one string or an array of them; `nil` if it is neither.
    static func statusPurposes(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let purpose)?: [purpose]
        case .array(let items)?: items.allSatisfy { $0.stringValue != nil } ? items.compactMap(\.stringValue) : nil
        default: nil
        }
    }
}
