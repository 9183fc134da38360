import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// The status checks of a credential against published status-list credentials made here, each properly
/// signed, that differ from a good one in one way: who signed them, when they are valid, what purpose they
/// state, how long they are.
@Suite struct PublishedStatusTests {
    static let now = Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds)
    static let day: Int64 = 86_400

    /// A physician's credential of the ministry, and the registry's trust list with a status-signing key
    /// added to the ministry's keys from a day before `now`.
    /// Unchecked: the fixture is only kept alive (its folder holds the registry), never used.
    struct Setup: @unchecked Sendable {
        let fixture: OfficeFixture
        let credential: IssuedCredential
        let site: PublicationSite
        let trust: TrustList
        let statusKey: Ed25519.PrivateKey
    }

    static let setup: Setup = {
        let (fixture, registry, credential) = try! TrustTests.issued()
        let statusKey = try! Ed25519.PrivateKey()
        let trust = adding(to: registry.config.trustList, statusKey, to: "mhlw", from: at(-day), until: nil)
        return Setup(
            fixture: fixture, credential: credential, site: registry.config.site, trust: trust, statusKey: statusKey)
    }()

    static func at(_ offset: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + offset) }

    /// `trust` with `key` added to the keys of `authority`, valid from `from` until `until`.
    static func adding(
        to trust: TrustList, _ key: Ed25519.PrivateKey, to authority: String, from: Timestamp, until: Timestamp?
    )
        -> TrustList
    {
        TrustList(
            registry: trust.registry,
            authorities: trust.authorities.map { entry in
                guard entry.id == authority else { return entry }
                let added = TrustList.Key(did: key.publicKey.didKey, validFrom: from, validUntil: until)
                return TrustList.Authority(
                    id: entry.id, name: entry.name, qualifications: entry.qualifications, keys: entry.keys + [added])
            })
    }

    /// The URL of the credential's `purpose` list.
    static func url(_ purpose: StatusPurpose) throws -> String {
        let entries = try #require(setup.credential.document["credentialStatus"]?.arrayValue)
        let entry = try #require(
            entries.compactMap(\.objectValue).first { $0["statusPurpose"]?.stringValue == purpose.rawValue })
        return try #require(entry["statusListCredential"]?.stringValue)
    }

    /// The credential's `purpose` list, all clear, signed at `time` by `key`, after `change` (the proof is made
    /// after it, so the list is properly signed whatever it says).
    static func list(
        _ purpose: StatusPurpose, key: Ed25519.PrivateKey = setup.statusKey, at time: Timestamp = now,
        bits: BitstringStatusList = .init(),
        _ change: (inout JSONObject) throws -> Void = { _ in }
    ) throws -> JSONObject {
        let issuer = Issuer(authorityID: "mhlw", name: "厚生労働大臣", key: key)
        var document = try StatusListCredential.signed(
            bits, purpose: purpose, number: 1, issuer: issuer, site: setup.site, at: time
        )
        .removing("proof")
        #expect(document["id"]?.stringValue == (try url(purpose)))
        try change(&document)
        return try DataIntegrity.sign(
            document, options: .init(created: time.iso, verificationMethod: issuer.verificationMethod), key: key)
    }

    /// The status checks of the credential verified at `now` against `lists` (by purpose) and `trust`.
    static func status(_ lists: [StatusPurpose: JSONObject], trust: TrustList = setup.trust) throws -> [StatusPurpose:
        FailureReason?]
    {
        var byURL: [String: JSONObject] = [:]
        for (purpose, list) in lists { byURL[try url(purpose)] = list }
        let found = byURL
        let verifier = CredentialVerifier(trust: trust, status: PublishedStatusLists { found[$0] })
        let report = verifier.verify(setup.credential.canonical, at: now, now: now)
        var result: [StatusPurpose: FailureReason?] = [:]
        for purpose in StatusPurpose.allCases {
            let check = try #require(report.checks.first { $0.name == "status.\(purpose.rawValue)" })
            #expect(check.outcome != .skipped, "\(check.detail)")
            result[purpose] = check.reason
        }
        return result
    }

    /// The revocation check's failure, with a good suspension list beside it.
    static func revocation(_ list: JSONObject, trust: TrustList = setup.trust) throws -> FailureReason? {
        let checks = try status([.revocation: list, .suspension: try Self.list(.suspension)], trust: trust)
        #expect(checks[.suspension] == .some(nil), "the suspension list is good")
        return checks[.revocation] ?? nil
    }

    @Test func wellSignedCurrentListsPass() throws {
        let checks = try Self.status([.revocation: try Self.list(.revocation), .suspension: try Self.list(.suspension)])
        #expect(checks[.revocation] == .some(nil))
        #expect(checks[.suspension] == .some(nil))
        var revoked = BitstringStatusList()
        let entry = Self.setup.credential.document["credentialStatus"]?.arrayValue?.first?.objectValue
        let index = try #require(entry?["statusListIndex"]?.stringValue.flatMap { Int($0) })
        revoked[index] = true
        #expect(try Self.revocation(try Self.list(.revocation, bits: revoked))?.code == .revoked)
    }

    // MARK: Who signed the list

    /// A list says nothing of the days before it was signed: each status check names the list it rests on.
    @Test func aStatusCheckNamesTheListItRestsOn() throws {
        let signed = Self.at(-3_600)
        var byURL: [String: JSONObject] = [:]
        for purpose in StatusPurpose.allCases { byURL[try Self.url(purpose)] = try Self.list(purpose, at: signed) }
        let found = byURL
        let verifier = CredentialVerifier(trust: Self.setup.trust, status: PublishedStatusLists { found[$0] })
        let report = verifier.verify(Self.setup.credential.canonical, at: Self.now, now: Self.now)
        for purpose in StatusPurpose.allCases {
            let check = try #require(report.checks.first { $0.name == "status.\(purpose.rawValue)" })
            #expect(check.outcome == .passed)
            #expect(check.detail.hasSuffix("is clear, as of the list signed \(signed.iso)"), "\(check.detail)")
        }
    }

    @Test func aListSignedByAKeyNotInTheTrustListFails() throws {
        let stranger = try Ed25519.PrivateKey()
        let failure = try Self.revocation(try Self.list(.revocation, key: stranger))
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("not in the trust list") == true, "\(failure?.message ?? "")")
    }

    @Test func aListSignedByAnotherAuthoritysKeyFails() throws {
        let tokyo = try Ed25519.PrivateKey()
        let trust = Self.adding(to: Self.setup.trust, tokyo, to: "tokyo", from: Self.at(-Self.day), until: nil)
        let failure = try Self.revocation(try Self.list(.revocation, key: tokyo), trust: trust)
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("東京都知事") == true, "\(failure?.message ?? "")")
    }

    @Test(arguments: [(-10 * day, -day), (day, nil)])
    func aListSignedByAKeyOutsideItsWindowFails(from: Int64, until: Int64?) throws {
        let key = try Ed25519.PrivateKey()
        let trust = Self.adding(to: Self.setup.trust, key, to: "mhlw", from: Self.at(from), until: until.map(Self.at))
        let failure = try Self.revocation(try Self.list(.revocation, key: key), trust: trust)
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("not at \(Self.now.iso)") == true, "\(failure?.message ?? "")")
    }

    @Test func aListWhoseSignatureDoesNotMatchFails() throws {
        var list = try Self.list(.revocation)
        list["validUntil"] = .string(Self.at(30 * Self.day).iso)
        let failure = try Self.revocation(list)
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("signature") == true, "\(failure?.message ?? "")")
    }

    // MARK: What the list states

    @Test func aPurposeArrayNamingTheEntrysPurposePasses() throws {
        let both = try Self.list(.revocation) {
            $0["credentialSubject"] = try Self.subject($0, purpose: ["revocation", "suspension"])
        }
        #expect(try Self.revocation(both) == nil)
    }

    @Test func aPurposeNotTheEntrysFails() throws {
        for purpose: JSONValue in [["suspension"], "suspension", [], 1] {
            let other = try Self.list(.revocation) { $0["credentialSubject"] = try Self.subject($0, purpose: purpose) }
            #expect(try Self.revocation(other)?.code == .statusVerification, "\(purpose)")
        }
    }

    static func subject(_ document: JSONObject, purpose: JSONValue) throws -> JSONValue {
        var subject = try #require(document["credentialSubject"]?.objectValue)
        subject["statusPurpose"] = purpose
        return .object(subject)
    }

    @Test func aListNotYetValidFails() throws {
        let early = try Self.list(.revocation) { $0["validFrom"] = .string(Self.at(3_600).iso) }
        let failure = try Self.revocation(early)
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("not valid before") == true, "\(failure?.message ?? "")")
    }

    @Test func anExpiredListFails() throws {
        let stale = try Self.list(.revocation) { $0["validUntil"] = .string(Self.at(-60).iso) }
        let failure = try Self.revocation(stale)
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("expired") == true, "\(failure?.message ?? "")")
    }

    /// A list without validUntil is still bounded by its ttl: signed an hour ago, it is fresh with a two-hour ttl
    /// and stale with a half-hour one.
    @Test func aListPastItsTimeToLiveFails() throws {
        func withoutUntil(_ ttl: JSONValue) -> (inout JSONObject) throws -> Void {
            { document in
                document["validUntil"] = nil
                var subject = try #require(document["credentialSubject"]?.objectValue)
                subject["ttl"] = ttl
                document["credentialSubject"] = .object(subject)
            }
        }
        let old = Self.at(-3_600)
        let fresh = try Self.list(.revocation, at: old, withoutUntil(.number(JSONNumber(7_200_000))))
        #expect(try Self.revocation(fresh) == nil)
        let stale = try Self.list(.revocation, at: old, withoutUntil(.number(JSONNumber(1_800_000))))
        let failure = try Self.revocation(stale)
        #expect(failure?.code == .statusVerification)
        #expect(failure?.message.contains("stale") == true, "\(failure?.message ?? "")")
        for bad: JSONValue in ["86400000", .number(JSONNumber(-1)), .number(try #require(JSONNumber(1.5)))] {
            let list = try Self.list(.revocation, withoutUntil(bad))
            #expect(try Self.revocation(list)?.message.contains("ttl") == true, "\(bad.canonicalString)")
        }
    }

    @Test func malformedValidityDatesFail() throws {
        for member in ["validFrom", "validUntil"] {
            let bad = try Self.list(.revocation) { $0[member] = "yesterday" }
            #expect(try Self.revocation(bad)?.code == .statusVerification, "\(member)")
        }
    }

    // MARK: How long the list is

    @Test(arguments: [16_383, BitstringStatusList.maximumBytes + 8])
    func aListTooShortOrTooLargeInflatedFails(bytes: Int) throws {
        let encoded = "u" + Base64URL.encode(try GZip.compress([UInt8](repeating: 0, count: bytes)))
        let list = try Self.list(.revocation) { document in
            var subject = try #require(document["credentialSubject"]?.objectValue)
            subject["encodedList"] = .string(encoded)
            document["credentialSubject"] = .object(subject)
        }
        #expect(try Self.revocation(list)?.code == .statusListLength)
    }
}
