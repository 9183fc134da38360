import ShikakuJSON
import Testing

@testable import ShikakuModel

/// Events are written member by member in an order fixed by hand, and journals hold those bytes: each kind,
/// with its optional members present and absent, must write exactly the RFC 8785 form of the object the
/// journal format describes (canonicalized by sorting, independently), and read back as the same event.
@Suite struct EventEncodingTests {
    static func day(_ text: String) -> CalendarDate {
        guard let date = try? CalendarDate(iso: text) else { preconditionFailure("\(text) is not a date") }
        return date
    }

    static func written(_ event: RegistrationEvent) -> [UInt8] {
        var writer = CanonicalObjectWriter()
        event.write(into: &writer)
        return writer.finish()
    }

    static let holderKey = HolderKey(hex: String(repeating: "5a", count: 32))!

    /// Each event, beside the object the journal format describes for it.
    static func cases() throws -> [(RegistrationEvent, JSONValue)] {
        let holder = try Holder(name: "佐藤 花子", nameKana: "サトウ ハナコ", formerSurname: "山田", birthDate: day("1980-02-29"), sex: .female)
        let plain = try Holder(name: "Smith \"John\" \\ Jr", nameKana: "スミス ジョン", birthDate: day("1975-01-15"))
        let evidence = RegistrationEvidence(
            exams: [Completion(name: "看護師国家試験", date: day("2004-02-22")), Completion(name: "保健師国家試験", date: day("2004-02-20"))],
            trainings: [], practice: PracticeRecord(basis: QualificationCode(rawValue: "nurse"), work: nil, years: 5, days: 900))
        let register = Registering(
            id: try RegistrationID(parsing: "public-health-nurse:0001234"), holderKey: holderKey, holder: holder, evidence: evidence,
            prefecture: nil, date: day("2004-04-01"))
        let prefectural = Registering(
            id: try RegistrationID(parsing: "care-manager:13000045"), holderKey: holderKey, holder: plain,
            evidence: RegistrationEvidence(trainings: [Completion(name: "介護支援専門員実務研修", date: day("2020-03-10"))],
                practice: PracticeRecord(work: "相談援助業務", years: 8, days: 1900)),
            prefecture: Prefecture.withCode(13), date: day("2022-05-07"))
        func holderJSON(_ holder: Holder) -> JSONValue {
            [
                "name": .string(holder.name), "nameKana": .string(holder.nameKana), "formerSurname": holder.formerSurname.map { .string($0) } ?? .null,
                "birthDate": .string(holder.birthDate.iso), "sex": holder.sex.map { .string($0.rawValue) } ?? .null,
            ]
        }
        func completions(_ list: [Completion]) -> JSONValue { .array(list.map { ["name": .string($0.name), "date": .string($0.date.iso)] }) }
        func registerJSON(_ event: Registering) -> JSONValue {
            let practice = event.evidence.practice.map { practice -> JSONValue in
                [
                    "basis": practice.basis.map { .string($0.rawValue) } ?? .null, "work": practice.work.map { .string($0) } ?? .null,
                    "years": .number(JSONNumber(practice.years)), "days": .number(JSONNumber(practice.days)),
                ]
            }
            return [
                "kind": "register", "id": .string(event.id.description), "holderKey": .string(event.holderKey.hex), "holder": holderJSON(event.holder),
                "evidence": ["exams": completions(event.evidence.exams), "trainings": completions(event.evidence.trainings), "practice": practice ?? .null],
                "prefecture": event.prefecture.map { .number(JSONNumber($0.code)) } ?? .null, "date": .string(event.date.iso),
            ]
        }
        return [
            (.register(register), registerJSON(register)),
            (.register(prefectural), registerJSON(prefectural)),
            (.register(Registering(id: register.id, holderKey: holderKey, holder: plain, evidence: RegistrationEvidence(), prefecture: nil,
                date: day("2004-04-01"))),
             ["kind": "register", "id": "public-health-nurse:0001234", "holderKey": .string(holderKey.hex), "holder": holderJSON(plain),
              "evidence": ["exams": [], "trainings": [], "practice": nil], "prefecture": nil, "date": "2004-04-01"]),
            (.amend(Amendment(name: "鈴木 花子", nameKana: "スズキ ハナコ", formerSurname: .some("佐藤"), birthDate: day("1980-03-01"), sex: .male,
                date: day("2010-06-01"))),
             ["kind": "amend", "name": "鈴木 花子", "nameKana": "スズキ ハナコ", "formerSurname": "佐藤", "birthDate": "1980-03-01", "sex": "male",
              "date": "2010-06-01"]),
            (.amend(Amendment(formerSurname: .some(nil), date: day("2011-01-01"))), ["kind": "amend", "formerSurname": nil, "date": "2011-01-01"]),
            (.amend(Amendment(name: "鈴木 花子", date: day("2011-01-02"))), ["kind": "amend", "name": "鈴木 花子", "date": "2011-01-02"]),
            (.recordAddition(RecordedAddition(code: "clinical-training", date: day("2006-03-31"))),
             ["kind": "record-addition", "code": "clinical-training", "date": "2006-03-31"]),
            (.renew(CardRenewal(date: day("2027-05-06"), trainingCompletedOn: day("2026-11-22"))),
             ["kind": "renew", "date": "2027-05-06", "trainingCompletedOn": "2026-11-22"]),
            (.retrain(CardRenewal(date: day("2030-01-06"), trainingCompletedOn: day("2029-12-01"))),
             ["kind": "retrain", "date": "2030-01-06", "trainingCompletedOn": "2029-12-01"]),
            (.report(PeriodicReportFiling(year: 2024, filedOn: day("2025-01-10"), practising: true, workplace: Prefecture.withCode(27))),
             ["kind": "report", "year": 2024, "filedOn": "2025-01-10", "practising": true, "workplace": 27]),
            (.report(PeriodicReportFiling(year: 2026, filedOn: day("2027-01-10"), practising: false, workplace: nil)),
             ["kind": "report", "year": 2026, "filedOn": "2027-01-10", "practising": false, "workplace": nil]),
            (.dispose(Disposition(kind: .practiceSuspension, date: day("2023-01-05"), from: day("2023-01-10"), until: day("2023-02-10"),
                reason: "業務上の不正 \u{1F}\t\"引用\"")),
             ["kind": "dispose", "disposition": .string(DispositionKind.practiceSuspension.rawValue), "date": "2023-01-05", "from": "2023-01-10",
              "until": "2023-02-10", "reason": "業務上の不正 \u{1F}\t\"引用\""]),
            (.dispose(Disposition(kind: .revocation, date: day("2024-01-05"), reason: "罰金以上の刑")),
             ["kind": "dispose", "disposition": .string(DispositionKind.revocation.rawValue), "date": "2024-01-05", "from": nil, "until": nil,
              "reason": "罰金以上の刑"]),
            (.reinstate(Reinstatement(date: day("2023-01-20"), reason: "処分理由の解消")),
             ["kind": "reinstate", "date": "2023-01-20", "reason": "処分理由の解消"]),
            (.relicense(Relicensing(date: day("2028-04-01"))), ["kind": "relicense", "date": "2028-04-01"]),
            (.reissue(Reissue(date: day("2025-07-07"), reason: .lost)), ["kind": "reissue", "date": "2025-07-07", "reason": "lost"]),
            (.erase(Erasure(date: day("2040-12-31"), reason: .death)), ["kind": "erase", "date": "2040-12-31", "reason": "death"]),
        ]
    }

    @Test func eachKindWritesTheCanonicalFormOfItsObject() throws {
        let cases = try Self.cases()
        #expect(Set(cases.map(\.0.kind)).count == 11, "every kind of event")
        for (event, expected) in cases {
            let bytes = Self.written(event)
            #expect(bytes == expected.canonicalBytes, "\(event.kind): \(String(decoding: bytes, as: UTF8.self))")
            #expect(event.json == (try JSONValue.parse(expected.canonicalBytes)), "\(event.kind): its tree, in canonical order")
            let read = try bytes.withUnsafeBufferPointer { buffer in try JSONScanner.scan(buffer) { try RegistrationEvent(scanning: &$0) } }
            #expect(read == event, "\(event.kind) reads back as written")
        }
    }
}
