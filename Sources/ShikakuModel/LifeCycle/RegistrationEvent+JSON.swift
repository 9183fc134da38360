public import ShikakuJSON

// Events as the journal stores them: JSON objects with a `kind` and the event's members, dates as
// YYYY-MM-DD. Decoding refuses an unknown kind or a missing member, so a journal written by a newer version
// is refused rather than misread; members it does not know are passed over, and the audit finds them (a
// record must be exactly the encoding of what is read from it).

extension RegistrationEvent {
    /// The event as JSON: the tree of ``write(into:)``'s members, for output.
    public var json: JSONValue { JSONValue(writtenBy: write(into:)) }

    /// Writes the event's members in canonical order, as the journal stores them: every record written is
    /// encoded here, with no tree.
    public func write(into object: inout CanonicalObjectWriter) {
        func date(_ name: StaticString, _ day: CalendarDate) { day.withISO { object.string(name, plain: $0) } }
        func date(_ name: StaticString, _ day: CalendarDate?) { if let day { date(name, day) } else { object.null(name) } }
        switch self {
        case .register(let event):
            date("date", event.date)
            object.object("evidence") { event.evidence.write(into: &$0) }
            object.object("holder") { event.holder.write(into: &$0) }
            event.holderKey.digest.withHex { object.string("holderKey", plain: $0) }
            object.string("id", event.id.description)
            object.string("kind", kind)
            if let prefecture = event.prefecture { object.integer("prefecture", prefecture.code) } else { object.null("prefecture") }
        case .amend(let event):
            if let birth = event.birthDate { date("birthDate", birth) }
            date("date", event.date)
            if let former = event.formerSurname { if let former { object.string("formerSurname", former) } else { object.null("formerSurname") } }
            object.string("kind", kind)
            if let name = event.name { object.string("name", name) }
            if let kana = event.nameKana { object.string("nameKana", kana) }
            if let sex = event.sex { object.string("sex", sex.rawValue) }
        case .recordAddition(let event):
            object.string("code", event.code)
            date("date", event.date)
            object.string("kind", kind)
        case .renew(let event), .retrain(let event):
            date("date", event.date)
            object.string("kind", kind)
            date("trainingCompletedOn", event.trainingCompletedOn)
        case .report(let event):
            date("filedOn", event.filedOn)
            object.string("kind", kind)
            object.boolean("practising", event.practising)
            if let workplace = event.workplace { object.integer("workplace", workplace.code) } else { object.null("workplace") }
            object.integer("year", event.year)
        case .dispose(let event):
            date("date", event.date)
            object.string("disposition", event.kind.rawValue)
            date("from", event.from)
            object.string("kind", kind)
            object.string("reason", event.reason)
            date("until", event.until)
        case .reinstate(let event):
            date("date", event.date)
            object.string("kind", kind)
            object.string("reason", event.reason)
        case .relicense(let event):
            date("date", event.date)
            object.string("kind", kind)
        case .reissue(let event):
            date("date", event.date)
            object.string("kind", kind)
            object.string("reason", event.reason.rawValue)
        case .erase(let event):
            date("date", event.date)
            object.string("kind", kind)
            object.string("reason", event.reason.rawValue)
        }
    }

    /// Reads an event written by ``write(into:)``, member by member and building no tree: a registration's history
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
    public var json: JSONValue { JSONValue(writtenBy: write(into:)) }

    /// Writes the holder's members in canonical order.
    public func write(into object: inout CanonicalObjectWriter) {
        birthDate.withISO { object.string("birthDate", plain: $0) }
        if let formerSurname { object.string("formerSurname", formerSurname) } else { object.null("formerSurname") }
        object.string("name", name)
        object.string("nameKana", nameKana)
        if let sex { object.string("sex", sex.rawValue) } else { object.null("sex") }
    }

    /// Reads a holder written by ``write(into:)``, checking every item.
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
    /// Writes the evidence's members in canonical order.
    func write(into object: inout CanonicalObjectWriter) {
        object.objects("exams", count: exams.count) { exams[$0].write(into: &$1) }
        if let practice {
            object.object("practice") { entry in
                if let basis = practice.basis { entry.string("basis", basis.rawValue) } else { entry.null("basis") }
                entry.integer("days", practice.days)
                if let work = practice.work { entry.string("work", work) } else { entry.null("work") }
                entry.integer("years", practice.years)
            }
        } else {
            object.null("practice")
        }
        object.objects("trainings", count: trainings.count) { trainings[$0].write(into: &$1) }
    }

    /// Reads evidence written by ``write(into:)``.
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
    func write(into object: inout CanonicalObjectWriter) {
        date.withISO { object.string("date", plain: $0) }
        object.string("name", name)
    }

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
