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
}
