import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// The issuer-key check against trust lists that do not vouch for the credential's key as it stands.
@Suite struct TrustTests {
    /// A physician's credential issued by the ministry, with the registry it lives in.
    static func issued() throws -> (OfficeFixture, Registry, IssuedCredential) {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        _ = try office.register(
            "physician", holder: OfficeFixture.holder(1), person: OfficeFixture.person(sex: .male),
            evidence: OfficeFixture.evidence("physician"), on: OfficeFixture.date("2020-04-01"))
        let credential = try #require(try office.commit().first?.credential)
        return (fixture, office.registry, credential)
    }

    static func failure(_ credential: IssuedCredential, _ registry: Registry, trust: TrustList) -> FailureReason? {
        let now = Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds)
        let verifier = CredentialVerifier(trust: trust, status: RegistryStatus(registry: registry, today: now.dateInJapan))
        return verifier.verify(credential.canonical, at: now, now: now).failure
    }

    /// The registry's own trust list, with the ministry's entry remade by `change`.
    static func trust(_ registry: Registry, _ change: (TrustList.Authority) -> TrustList.Authority?) -> TrustList {
        let own = registry.config.trustList
        return TrustList(registry: own.registry, authorities: own.authorities.compactMap { $0.id == "mhlw" ? change($0) : $0 })
    }

    @Test func theRegistrysOwnTrustListVouchesForIt() throws {
        let (fixture, registry, credential) = try Self.issued()
        #expect(Self.failure(credential, registry, trust: registry.config.trustList) == nil)
        withExtendedLifetime(fixture) {}
    }

    @Test func aKeyNotInTheTrustListIsUnknown() throws {
        let (fixture, registry, credential) = try Self.issued()
        let trust = Self.trust(registry) { TrustList.Authority(id: $0.id, name: $0.name, qualifications: $0.qualifications, keys: []) }
        #expect(Self.failure(credential, registry, trust: trust)?.code == .unknownKey)
        withExtendedLifetime(fixture) {}
    }

    @Test func aKeyOutsideItsWindowIsRefused() throws {
        let (fixture, registry, credential) = try Self.issued()
        let created = try #require(credential.seal?.created)
        let trust = Self.trust(registry) { authority in
            let keys = authority.keys.map {
                TrustList.Key(did: $0.did, validFrom: $0.validFrom, validUntil: Timestamp(secondsSinceEpoch: created.secondsSinceEpoch - 1))
            }
            return TrustList.Authority(id: authority.id, name: authority.name, qualifications: authority.qualifications, keys: keys)
        }
        #expect(Self.failure(credential, registry, trust: trust)?.code == .keyOutsideWindow)
        withExtendedLifetime(fixture) {}
    }

    @Test func anAuthorityNotEntitledToTheQualificationIsRefused() throws {
        let (fixture, registry, credential) = try Self.issued()
        let trust = Self.trust(registry) { authority in
            TrustList.Authority(
                id: authority.id, name: authority.name, qualifications: authority.qualifications.filter { $0 != "physician" },
                keys: authority.keys)
        }
        #expect(Self.failure(credential, registry, trust: trust)?.code == .authorityNotEntitled)
        withExtendedLifetime(fixture) {}
    }
}
