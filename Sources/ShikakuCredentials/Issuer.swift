import ShikakuCrypto

/// A licensing authority as credentials name it, with the key it signs with.
public struct Issuer: Sendable {
    /// The registry's identifier of the authority: `mhlw`, `tokyo`.
    public let authorityID: String
    /// The authority's name as the law writes it: 厚生労働大臣, 東京都知事.
    public let name: String
    /// The signing key.
    public let key: Ed25519.PrivateKey
    /// The issuer's `did:key`, which is also the credential's `issuer.id` (kept: every credential names it).
    public let did: String
    /// The proof's `verificationMethod`: `did:key:z6Mk…#z6Mk…`.
    public let verificationMethod: String

    /// Creates an issuer.
    public init(authorityID: String, name: String, key: Ed25519.PrivateKey) {
        self.authorityID = authorityID
        self.name = name
        self.key = key
        did = key.publicKey.didKey
        verificationMethod = key.publicKey.didKeyVerificationMethod
    }
}

/// Where a credential's status bits live: list `list` of the authority, bit `index` in both its
/// revocation and its suspension list.
public struct StatusSlot: Hashable, Sendable, Comparable {
    /// The list's number, from 1.
    public let list: Int
    /// The bit's index in the list.
    public let index: Int

    /// Creates a slot.
    public init(list: Int, index: Int) {
        self.list = list
        self.index = index
    }

    public static func < (lhs: StatusSlot, rhs: StatusSlot) -> Bool { (lhs.list, lhs.index) < (rhs.list, rhs.index) }
}

/// The two purposes Shikaku publishes status for.
public enum StatusPurpose: String, Sendable, CaseIterable, Hashable {
    /// Permanent: revoked, erased, or superseded by a newer certificate.
    case revocation
    /// Reversible: under a suspension or ban now.
    case suspension
}

/// The public addresses of what a registry publishes, under one base URL (the export folder).
public struct PublicationSite: Hashable, Sendable {
    /// The base URL the export folder is served at, without a trailing slash.
    public let baseURL: String

    /// A site at `baseURL`.
    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The path, under the export folder, of a status list credential.
    public static func statusListPath(authority: String, purpose: StatusPurpose, list: Int) -> String {
        var path = ""
        appendStatusListPath(authority: authority, purpose: purpose, list: list, to: &path)
        return path
    }

    /// The URL of a status list credential, made in one string: every credential names two.
    public func statusListURL(authority: String, purpose: StatusPurpose, list: Int) -> String {
        var url = baseURL
        url.reserveCapacity(baseURL.utf8.count + authority.utf8.count + 40)
        url += "/"
        PublicationSite.appendStatusListPath(authority: authority, purpose: purpose, list: list, to: &url)
        return url
    }

    private static func appendStatusListPath(authority: String, purpose: StatusPurpose, list: Int, to text: inout String) {
        text += "status/"
        text += authority
        text += "/"
        text += purpose.rawValue
        text += "/"
        text += String(list)
        text += ".json"
    }

    /// The export-folder path a URL under this site names, or `nil` for a URL elsewhere.
    public func path(of url: String) -> String? {
        guard url.hasPrefix(baseURL + "/") else { return nil }
        return String(url.dropFirst(baseURL.count + 1))
    }
}
