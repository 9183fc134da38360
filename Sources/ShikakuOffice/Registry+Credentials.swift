import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuStore

extension Registry {
    /// The credential a record names, rebuilt from the journal, checked against its recorded hash.
    /// - Throws: `store.damaged` when the rebuilt bytes do not hash to what was recorded.
    public func credential(for record: RegistrationRecord) throws -> IssuedCredential? {
        guard let credential = record.credential, let issued = record.credentialOffset, let did = credential.did,
            let seal = credential.seal, let effective = credential.effective,
            let state = try state(of: record.registration.id, at: issued)
        else { return nil }
        let authorityName = config.authority(credential.authority)?.name ?? credential.authority
        let content = QualificationCredential.Content(
            registration: state, qualification: try Catalog.qualification(state.id.qualification), effectiveDate: effective,
            slot: credential.slot)
        let rebuilt = IssuedCredential.reassemble(
            content, issuer: .init(authorityID: credential.authority, name: authorityName, did: did), site: config.site, seal: seal)
        guard rebuilt.hash == credential.hash else {
            throw StoreError(
                .damaged, "the credential of \(state.id) does not rebuild to the hash the journal recorded; run `shikaku audit`",
                path: layout.journal)
        }
        return rebuilt
    }

    /// Whether `registration` is suspended or banned on `date`, from its record.
    func isSuspended(_ record: RegistrationRecord, on date: CalendarDate) -> Bool {
        if case .suspended = record.registration.standing(on: date) { return true }
        return false
    }

    /// The revocation and suspension bits of every list of `authority` as of `date`.
    public func statusBits(of authority: String, on date: CalendarDate) throws -> [StatusPurpose: [BitstringStatusList]] {
        let revocation = try statusLists[authority] ?? []
        var suspension = revocation.map { _ in BitstringStatusList() }
        for id in try registrationsWithSuspensions {
            guard let record = try record(of: id), let credential = record.credential, credential.authority == authority,
                isSuspended(record, on: date), credential.slot.list <= suspension.count
            else { continue }
            suspension[credential.slot.list - 1][credential.slot.index] = true
        }
        return [.revocation: revocation, .suspension: suspension]
    }
}

/// Status read straight from a registry at hand: its revocation bits and the suspensions in force today.
public struct RegistryStatus: StatusSource, @unchecked Sendable {
    let registry: Registry
    let today: CalendarDate

    /// Status from `registry`, as of `today`.
    public init(registry: Registry, today: CalendarDate) {
        self.registry = registry
        self.today = today
    }

    public func bit(
        listURL: String, index: Int, purpose: StatusPurpose, authority: TrustList.Authority, trust: TrustList, now: Timestamp
    ) -> Result<StatusBit, FailureReason> {
        let site = registry.config.site
        let asOf = "the registry on \(today.iso)"
        let lists: [BitstringStatusList]
        do {
            lists = try registry.statusLists[authority.id] ?? []
        } catch {
            return .failure(FailureReason(.statusRetrieval, "the registry's status lists could not be read: \(error.message)"))
        }
        for list in 1...max(1, lists.count) {
            guard site.statusListURL(authority: authority.id, purpose: purpose, list: list) == listURL else { continue }
            switch purpose {
            case .revocation:
                // A list not opened yet has nothing revoked.
                guard list <= lists.count else { return .success(StatusBit(isSet: false, asOf: asOf)) }
                do throws(FailureReason) {
                    return .success(StatusBit(isSet: try lists[list - 1].status(at: index), asOf: asOf))
                } catch {
                    return .failure(error)
                }
            case .suspension:
                guard let bits = try? registry.statusBits(of: authority.id, on: today)[.suspension], list <= bits.count else {
                    return .failure(FailureReason(.statusRetrieval, "the registry's suspension list \(list) could not be read"))
                }
                return .success(StatusBit(isSet: bits[list - 1][index], asOf: asOf))
            }
        }
        return .failure(FailureReason(.statusRetrieval, "\(listURL) is not a status list of this registry"))
    }
}
