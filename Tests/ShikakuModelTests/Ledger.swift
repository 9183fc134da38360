import ShikakuCrypto
import ShikakuJSON

@testable import ShikakuModel

/// A minimal in-memory register for life-cycle tests: numbers registrations, checks and folds events,
/// and keeps every accepted event so histories can be replayed.
struct Ledger {
    private(set) var registrations: [RegistrationID: Registration] = [:]
    private(set) var accepted: [(RegistrationID, RegistrationEvent)] = []
    private var sequence = 0

    /// A holder key for test person `n`.
    static func holderKey(_ n: Int) -> HolderKey {
        HolderKey(digest: SHA256.hash(Array("holder \(n)".utf8)))
    }

    static func date(_ iso: String) -> CalendarDate {
        guard let date = try? CalendarDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
        return date
    }

    static func person(sex: Sex? = .female, born: String = "1990-05-01") -> Holder {
        guard let holder = try? Holder(name: "山田 花子", nameKana: "ヤマダ ハナコ", birthDate: date(born), sex: sex) else {
            preconditionFailure("bad test holder")
        }
        return holder
    }

    func holderRegistrations(_ key: HolderKey) -> [Registration] {
        registrations.values.filter { $0.holderKey == key }
    }

    /// Registers holder `key` in `code`'s register, checking every rule. The default person is a woman
    /// where the register records 性別, and has no recorded 性別 where it does not.
    @discardableResult
    mutating func register(
        _ code: QualificationCode, holder key: HolderKey = holderKey(1), person: Holder? = nil,
        evidence: RegistrationEvidence, prefecture: Prefecture? = nil, on date: String = "2020-04-01"
    ) throws(ModelError) -> RegistrationID {
        let qualification = try Catalog.qualification(code)
        let person = person ?? Ledger.person(sex: qualification.recordsSex ? .female : nil)
        sequence += 1
        let id = RegistrationID(
            qualification: code, number: qualification.registrationNumber.format(sequence: sequence, prefecture: prefecture))
        let event = RegistrationEvent.register(
            Registering(id: id, holderKey: key, holder: person, evidence: evidence, prefecture: prefecture, date: Ledger.date(date)))
        try record(event, for: id)
        return id
    }

    /// Checks and folds `event` into registration `id`.
    mutating func record(_ event: RegistrationEvent, for id: RegistrationID) throws(ModelError) {
        let qualification = try Catalog.qualification(id.qualification)
        let current = registrations[id]
        let key: HolderKey
        if case .register(let registering) = event { key = registering.holderKey } else { key = current?.holderKey ?? Ledger.holderKey(0) }
        try LifeCycle.check(event, against: current, qualification: qualification, holderRegistrations: holderRegistrations(key))
        registrations[id] = try LifeCycle.apply(event, to: current, qualification: qualification)
        accepted.append((id, event))
    }

    subscript(id: RegistrationID) -> Registration {
        guard let registration = registrations[id] else { preconditionFailure("no registration \(id)") }
        return registration
    }

    /// The state rebuilt from the accepted events by folding alone, as a journal replay does.
    func replayed() throws(ModelError) -> [RegistrationID: Registration] {
        var states: [RegistrationID: Registration] = [:]
        for (id, event) in accepted {
            states[id] = try LifeCycle.apply(event, to: states[id], qualification: try Catalog.qualification(id.qualification))
        }
        return states
    }
}

/// Evidence shorthand.
extension RegistrationEvidence {
    static func exams(_ names: String..., on date: String = "2014-03-15") -> RegistrationEvidence {
        RegistrationEvidence(exams: names.map { Completion(name: $0, date: Ledger.date(date)) })
    }
}

extension RegistrationEvidence {
    /// Evidence meeting every exam, training and practice requirement of `code` (the first alternative of
    /// each anyOf), dated `date`. Licence and sex requirements are the ledger's and the holder's business.
    static func satisfying(_ code: QualificationCode, on date: String = "2014-03-15") -> RegistrationEvidence {
        guard let qualification = try? Catalog.qualification(code) else { preconditionFailure("unknown \(code)") }
        var evidence = RegistrationEvidence()
        func add(_ requirement: Requirement) {
            switch requirement {
            case .exam(let name, _): evidence.exams.append(Completion(name: name, date: Ledger.date(date)))
            case .training(let name, _): evidence.trainings.append(Completion(name: name, date: Ledger.date(date)))
            case .practice(let practice, _):
                evidence.practice = PracticeRecord(basis: practice.basedOn.first, years: practice.years, days: practice.days)
            case .anyOf(let alternatives, _): alternatives.first.map(add)
            case .qualification, .sex: break
            }
        }
        qualification.prerequisites.forEach(add)
        return evidence
    }

    /// The same evidence without the exam or training called `name`.
    func without(_ name: String) -> RegistrationEvidence {
        var copy = self
        copy.exams.removeAll { $0.name == name }
        copy.trainings.removeAll { $0.name == name }
        return copy
    }
}

extension Qualification {
    /// The names of the exams its prerequisites list directly (not inside anyOf).
    var requiredExams: [String] {
        prerequisites.compactMap { if case .exam(let name, _) = $0 { name } else { nil } }
    }

    /// The names of the trainings its prerequisites list directly (not inside anyOf).
    var requiredTrainings: [String] {
        prerequisites.compactMap { if case .training(let name, _) = $0 { name } else { nil } }
    }
}

extension Qualification {
    /// The catalog's entry for `code`, with `edit` applied to its JSON before decoding: a qualification the 32
    /// do not include, for rules that no entry of today's catalog reaches.
    static func variant(of code: QualificationCode, _ edit: (inout JSONObject) -> Void) throws -> Qualification {
        guard var entry = try Catalog.qualification(code).json.objectValue else { preconditionFailure("\(code) is not an object") }
        edit(&entry)
        return try Qualification(decoding: JSONReader(.object(entry)))
    }
}
