public import ShikakuJSON

// Events as the journal stores them: JSON objects with a `kind` and the event's members, dates as
// YYYY-MM-DD. Decoding is strict, so a journal written by a newer version is refused rather than
// misread.

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

    /// Reads an event written by ``json``.
    /// - Throws: `input.*` model errors or JSON errors naming the member at fault.
    public init(json reader: JSONReader) throws {
        func date(_ key: String) throws -> CalendarDate { try CalendarDate(iso: try reader[key].string(), field: key) }
        func optionalDate(_ key: String) throws -> CalendarDate? {
            try reader[key].optionalString().map { (text) throws in try CalendarDate(iso: text, field: key) }
        }
        func prefecture(_ key: String) throws -> Prefecture? {
            guard let code = try reader[key].optionalInt() else { return nil }
            guard let prefecture = Prefecture.withCode(code) else {
                throw ModelError(.invalidRegistrationID, "\(reader.path).\(key): \(code) is not a prefecture code")
            }
            return prefecture
        }
        switch try reader["kind"].string() {
        case "register":
            guard let key = HolderKey(hex: try reader["holderKey"].string()) else {
                throw ModelError(.invalidRegistrationID, "\(reader.path).holderKey is not 64 hex digits")
            }
            self = .register(
                Registering(
                    id: try RegistrationID(parsing: try reader["id"].string()), holderKey: key,
                    holder: try Holder(json: reader["holder"]), evidence: try RegistrationEvidence(json: reader["evidence"]),
                    prefecture: try prefecture("prefecture"), date: try date("date")))
        case "amend":
            let former: String?? = reader["formerSurname"].value == nil ? nil : .some(try reader["formerSurname"].optionalString())
            self = .amend(
                Amendment(
                    name: try reader["name"].optionalString(), nameKana: try reader["nameKana"].optionalString(),
                    formerSurname: former, birthDate: try optionalDate("birthDate"),
                    sex: try reader["sex"].optionalString().map { (text) throws in try Sex(parsing: text) }, date: try date("date")))
        case "record-addition":
            self = .recordAddition(RecordedAddition(code: try reader["code"].string(), date: try date("date")))
        case "renew":
            self = .renew(CardRenewal(date: try date("date"), trainingCompletedOn: try date("trainingCompletedOn")))
        case "retrain":
            self = .retrain(CardRenewal(date: try date("date"), trainingCompletedOn: try date("trainingCompletedOn")))
        case "report":
            self = .report(
                PeriodicReportFiling(
                    year: try reader["year"].int(), filedOn: try date("filedOn"), practising: try reader["practising"].bool(),
                    workplace: try prefecture("workplace")))
        case "dispose":
            guard let kind = DispositionKind(rawValue: try reader["disposition"].string()) else {
                throw ModelError(.invalidCatalog, "\(reader.path).disposition is not a disposition kind")
            }
            self = .dispose(
                Disposition(
                    kind: kind, date: try date("date"), from: try optionalDate("from"), until: try optionalDate("until"),
                    reason: try reader["reason"].string()))
        case "reinstate":
            self = .reinstate(Reinstatement(date: try date("date"), reason: try reader["reason"].string()))
        case "relicense":
            self = .relicense(Relicensing(date: try date("date")))
        case "reissue":
            guard let reason = Reissue.Reason(rawValue: try reader["reason"].string()) else {
                throw ModelError(.missingField, "\(reader.path).reason is not lost, damaged or rewrite")
            }
            self = .reissue(Reissue(date: try date("date"), reason: reason))
        case "erase":
            guard let reason = Erasure.Reason(rawValue: try reader["reason"].string()) else {
                throw ModelError(.missingField, "\(reader.path).reason is not death or application")
            }
            self = .erase(Erasure(date: try date("date"), reason: reason))
        case let other:
            throw ModelError(.missingField, "\(reader.path).kind: unknown event kind \"\(other)\"")
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

    /// Reads a holder written by ``json`` (or typed by a clerk in a batch file), checking every item.
    /// - Throws: `input.*` errors naming the member.
    public init(json reader: JSONReader) throws {
        try self.init(
            name: try reader["name"].string(), nameKana: try reader["nameKana"].string(),
            formerSurname: try reader["formerSurname"].optionalString(),
            birthDate: try CalendarDate(iso: try reader["birthDate"].string(), field: "birthDate"),
            sex: try reader["sex"].optionalString().map { (text) throws in try Sex(parsing: text) })
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
    public init(json reader: JSONReader) throws {
        let practice = reader["practice"]
        self.init(
            exams: try reader["exams"].array().map(Completion.init(json:)),
            trainings: try reader["trainings"].array().map(Completion.init(json:)),
            practice: practice.isAbsentOrNull
                ? nil
                : PracticeRecord(
                    basis: try practice["basis"].optionalString().map { QualificationCode(rawValue: $0) },
                    work: try practice["work"].optionalString(), years: try practice["years"].int(), days: try practice["days"].int()))
    }
}

extension Completion {
    var json: JSONValue { ["name": .string(name), "date": .string(date.iso)] }

    init(json reader: JSONReader) throws {
        self.init(name: try reader["name"].string(), date: try CalendarDate(iso: try reader["date"].string(), field: "date"))
    }
}
