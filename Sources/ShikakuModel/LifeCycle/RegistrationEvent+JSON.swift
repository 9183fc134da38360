public import ShikakuJSON

// Events as the journal stores them: JSON objects with a `kind` and the event's members, dates as
// YYYY-MM-DD. Decoding refuses an unknown kind or a missing member, so a journal written by a newer version
// is refused rather than misread; members it does not know are passed over, and the audit finds them (a
// record must be exactly the encoding of what is read from it).

extension RegistrationEvent {
    /// The event as JSON.
    public var json: JSONValue {
        var object: JSONObject = ["kind": .string(kind)]
        switch self {
        case .register(let event):
            object["id"] = .string(event.id.description)
            object["holderKey"] = .string(event.holderKey.hex)
            object["holder"] = event.holder.json
            object["evidence"] = event.evidence.json
            object["prefecture"] = event.prefecture.map { .number(JSONNumber($0.code)) } ?? .null
            object["date"] = .string(event.date.iso)
        case .amend(let event):
            if let name = event.name { object["name"] = .string(name) }
            if let kana = event.nameKana { object["nameKana"] = .string(kana) }
            if let former = event.formerSurname { object["formerSurname"] = former.map { .string($0) } ?? .null }
            if let birth = event.birthDate { object["birthDate"] = .string(birth.iso) }
            if let sex = event.sex { object["sex"] = .string(sex.rawValue) }
            object["date"] = .string(event.date.iso)
        case .recordAddition(let event):
            object["code"] = .string(event.code)
            object["date"] = .string(event.date.iso)
        case .renew(let event), .retrain(let event):
            object["date"] = .string(event.date.iso)
            object["trainingCompletedOn"] = .string(event.trainingCompletedOn.iso)
        case .report(let event):
            object["year"] = .number(JSONNumber(event.year))
            object["filedOn"] = .string(event.filedOn.iso)
            object["practising"] = .bool(event.practising)
            object["workplace"] = event.workplace.map { .number(JSONNumber($0.code)) } ?? .null
        case .dispose(let event):
            object["disposition"] = .string(event.kind.rawValue)
            object["date"] = .string(event.date.iso)
            object["from"] = event.from.map { .string($0.iso) } ?? .null
            object["until"] = event.until.map { .string($0.iso) } ?? .null
            object["reason"] = .string(event.reason)
        case .reinstate(let event):
            object["date"] = .string(event.date.iso)
            object["reason"] = .string(event.reason)
        case .relicense(let event):
            object["date"] = .string(event.date.iso)
        case .reissue(let event):
            object["date"] = .string(event.date.iso)
            object["reason"] = .string(event.reason.rawValue)
        case .erase(let event):
            object["date"] = .string(event.date.iso)
            object["reason"] = .string(event.reason.rawValue)
        }
        return .object(object)
    }

    /// Reads an event written by ``json``, member by member and building no tree: a registration's history
    /// is decoded whenever the registration is read. Members it does not know are passed over.
    /// - Throws: `input.*` model errors, or JSON errors: a member missing (named) or of the wrong type (where
    ///   it is).
    public init(scanning scanner: inout JSONScanner) throws {
        var kind: String?, date: CalendarDate?, reason: String?
        var id: RegistrationID?, holderKey: HolderKey?, holder: Holder?, evidence: RegistrationEvidence?, prefecture: Prefecture?
        var name: String?, nameKana: String?, formerSurname: String??, birthDate: CalendarDate?, sex: Sex?, code: String?
        var trainingCompletedOn: CalendarDate?, year: Int?, filedOn: CalendarDate?, practising: Bool?, workplace: Prefecture?
        var disposition: DispositionKind?, from: CalendarDate?, until: CalendarDate?
        func optionalDate(_ scanner: inout JSONScanner, _ field: String) throws -> CalendarDate? {
            try scanner.optionalString().map { (text) throws in try CalendarDate(iso: text, field: field) }
        }
        func prefectureCode(_ scanner: inout JSONScanner, _ field: String) throws -> Prefecture? {
            guard let code = try scanner.optionalInt() else { return nil }
            guard let prefecture = Prefecture.withCode(code) else {
                throw ModelError(.invalidRegistrationID, "event.\(field): \(code) is not a prefecture code")
            }
            return prefecture
        }
        try scanner.members { member, scanner in
            switch member {
            case "kind": kind = try scanner.string()
            case "date": date = try optionalDate(&scanner, "date")
            case "reason": reason = try scanner.string()
            case "id": id = try RegistrationID(parsing: try scanner.string())
            case "holderKey":
                guard let key = HolderKey(hex: try scanner.string()) else {
                    throw ModelError(.invalidRegistrationID, "event.holderKey is not 64 hex digits")
                }
                holderKey = key
            case "holder": holder = try Holder(scanning: &scanner)
            case "evidence": evidence = try RegistrationEvidence(scanning: &scanner)
            case "prefecture": prefecture = try prefectureCode(&scanner, "prefecture")
            case "name": name = try scanner.optionalString()
            case "nameKana": nameKana = try scanner.optionalString()
            case "formerSurname": formerSurname = .some(try scanner.optionalString())
            case "birthDate": birthDate = try optionalDate(&scanner, "birthDate")
            case "sex": sex = try scanner.optionalString().map { (text) throws in try Sex(parsing: text) }
            case "code": code = try scanner.string()
            case "trainingCompletedOn": trainingCompletedOn = try optionalDate(&scanner, "trainingCompletedOn")
            case "year": year = try scanner.int()
            case "filedOn": filedOn = try optionalDate(&scanner, "filedOn")
            case "practising": practising = try scanner.bool()
            case "workplace": workplace = try prefectureCode(&scanner, "workplace")
            case "disposition":
                let text = try scanner.string()
                guard let known = DispositionKind(rawValue: text) else {
                    throw ModelError(.invalidCatalog, "event.disposition: \"\(text)\" is not a disposition kind")
                }
                disposition = known
            case "from": from = try optionalDate(&scanner, "from")
            case "until": until = try optionalDate(&scanner, "until")
            default: break
            }
        }
        func need<T>(_ value: T?, _ member: String) throws(JSONError) -> T { try JSONScanner.required(value, "event.\(member)") }
        switch try need(kind, "kind") {
        case "register":
            self = .register(
                Registering(
                    id: try need(id, "id"), holderKey: try need(holderKey, "holderKey"), holder: try need(holder, "holder"),
                    evidence: try need(evidence, "evidence"), prefecture: prefecture, date: try need(date, "date")))
        case "amend":
            self = .amend(
                Amendment(name: name, nameKana: nameKana, formerSurname: formerSurname, birthDate: birthDate, sex: sex, date: try need(date, "date")))
        case "record-addition":
            self = .recordAddition(RecordedAddition(code: try need(code, "code"), date: try need(date, "date")))
        case "renew":
            self = .renew(CardRenewal(date: try need(date, "date"), trainingCompletedOn: try need(trainingCompletedOn, "trainingCompletedOn")))
        case "retrain":
            self = .retrain(CardRenewal(date: try need(date, "date"), trainingCompletedOn: try need(trainingCompletedOn, "trainingCompletedOn")))
        case "report":
            self = .report(
                PeriodicReportFiling(
                    year: try need(year, "year"), filedOn: try need(filedOn, "filedOn"), practising: try need(practising, "practising"),
                    workplace: workplace))
        case "dispose":
            self = .dispose(
                Disposition(kind: try need(disposition, "disposition"), date: try need(date, "date"), from: from, until: until, reason: try need(reason, "reason")))
        case "reinstate":
            self = .reinstate(Reinstatement(date: try need(date, "date"), reason: try need(reason, "reason")))
        case "relicense":
            self = .relicense(Relicensing(date: try need(date, "date")))
        case "reissue":
            let text = try need(reason, "reason")
            guard let reason = Reissue.Reason(rawValue: text) else {
                throw ModelError(.missingField, "event.reason: \"\(text)\" is not lost, damaged or rewrite")
            }
            self = .reissue(Reissue(date: try need(date, "date"), reason: reason))
        case "erase":
            let text = try need(reason, "reason")
            guard let reason = Erasure.Reason(rawValue: text) else {
                throw ModelError(.missingField, "event.reason: \"\(text)\" is not death or application")
            }
            self = .erase(Erasure(date: try need(date, "date"), reason: reason))
        case let other:
            throw ModelError(.missingField, "event.kind: unknown event kind \"\(other)\"")
        }
    }
}

extension Holder {
    /// The holder as JSON.
    public var json: JSONValue {
        [
            "name": .string(name), "nameKana": .string(nameKana), "formerSurname": formerSurname.map { .string($0) } ?? .null,
            "birthDate": .string(birthDate.iso), "sex": sex.map { .string($0.rawValue) } ?? .null,
        ]
    }

    /// Reads a holder written by ``json``, checking every item.
    /// - Throws: `input.*` errors naming the member.
    public init(scanning scanner: inout JSONScanner) throws {
        var name: String?, nameKana: String?, formerSurname: String?, birthDate: CalendarDate?, sex: Sex?
        try scanner.members { member, scanner in
            switch member {
            case "name": name = try scanner.string()
            case "nameKana": nameKana = try scanner.string()
            case "formerSurname": formerSurname = try scanner.optionalString()
            case "birthDate": birthDate = try CalendarDate(iso: try scanner.string(), field: "birthDate")
            case "sex": sex = try scanner.optionalString().map { (text) throws in try Sex(parsing: text) }
            default: break
            }
        }
        try self.init(
            name: try JSONScanner.required(name, "event.holder.name"), nameKana: try JSONScanner.required(nameKana, "event.holder.nameKana"),
            formerSurname: formerSurname, birthDate: try JSONScanner.required(birthDate, "event.holder.birthDate"), sex: sex)
    }
}

extension RegistrationEvidence {
    /// The evidence as JSON.
    public var json: JSONValue {
        [
            "exams": .array(exams.map(\.json)), "trainings": .array(trainings.map(\.json)),
            "practice": practice.map { practice in
                [
                    "basis": practice.basis.map { .string($0.rawValue) } ?? .null, "work": practice.work.map { .string($0) } ?? .null,
                    "years": .number(JSONNumber(practice.years)), "days": .number(JSONNumber(practice.days)),
                ]
            } ?? .null,
        ]
    }

    /// Reads evidence written by ``json``.
    /// - Throws: `input.*` model errors, or JSON errors.
    public init(scanning scanner: inout JSONScanner) throws {
        var exams: [Completion]?, trainings: [Completion]?, practice: PracticeRecord?
        func completions(_ scanner: inout JSONScanner) throws -> [Completion] {
            var list: [Completion] = []
            try scanner.elements { element in list.append(try Completion(scanning: &element)) }
            return list
        }
        try scanner.members { member, scanner in
            switch member {
            case "exams": exams = try completions(&scanner)
            case "trainings": trainings = try completions(&scanner)
            case "practice": if try !scanner.null() { practice = try PracticeRecord(scanning: &scanner) }
            default: break
            }
        }
        self.init(
            exams: try JSONScanner.required(exams, "event.evidence.exams"), trainings: try JSONScanner.required(trainings, "event.evidence.trainings"),
            practice: practice)
    }
}

extension PracticeRecord {
    init(scanning scanner: inout JSONScanner) throws {
        var basis: QualificationCode?, work: String?, years: Int?, days: Int?
        try scanner.members { member, scanner in
            switch member {
            case "basis": basis = try scanner.optionalString().map { QualificationCode(rawValue: $0) }
            case "work": work = try scanner.optionalString()
            case "years": years = try scanner.int()
            case "days": days = try scanner.int()
            default: break
            }
        }
        self.init(
            basis: basis, work: work, years: try JSONScanner.required(years, "event.evidence.practice.years"),
            days: try JSONScanner.required(days, "event.evidence.practice.days"))
    }
}

extension Completion {
    var json: JSONValue { ["name": .string(name), "date": .string(date.iso)] }

    init(scanning scanner: inout JSONScanner) throws {
        var name: String?, date: CalendarDate?
        try scanner.members { member, scanner in
            switch member {
            case "name": name = try scanner.string()
            case "date": date = try CalendarDate(iso: try scanner.string(), field: "date")
            default: break
            }
        }
        self.init(name: try JSONScanner.required(name, "event.evidence[].name"), date: try JSONScanner.required(date, "event.evidence[].date"))
    }
}
