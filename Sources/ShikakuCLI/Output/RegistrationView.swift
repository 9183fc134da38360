import ShikakuCredentials
import ShikakuJSON
import ShikakuModel
import ShikakuStore

/// How a registration is shown: a field list for people, an object for scripts.
enum RegistrationView {
    static func standing(_ standing: Standing) -> String {
        switch standing {
        case .active: "active"
        case .suspended(let disposition):
            "suspended (\(disposition.kind.rawValue)) until \(disposition.effectivePeriod?.upperBound.iso ?? "?")"
        case .lapsed(let since): "card lapsed since \(since.iso) (registration remains; 再研修 gives a new card)"
        case .revoked(let since): "revoked since \(since.iso)"
        case .erased(let erasure): "erased on \(erasure.date.iso) (\(erasure.reason.rawValue))"
        }
    }

    /// A date for people, in the Gregorian calendar and the Japanese era: `2019-04-20 (平成31年4月20日)`.
    static func date(_ date: CalendarDate) -> String { "\(date.iso) (\(date.japanese))" }

    /// `医籍 第0000001号`.
    static func title(_ id: RegistrationID) -> String {
        let register = (try? Catalog.qualification(id.qualification))?.register ?? id.qualification.rawValue
        return "\(register) 第\(id.number)号"
    }

    static func text(_ record: RegistrationRecord, config: RegistryConfig, today: CalendarDate) -> String {
        let registration = record.registration
        let holder = registration.holder
        let qualification = try? Catalog.qualification(registration.id.qualification)
        var fields = FieldList()
        fields.append("registration", registration.id.description)
        fields.append("qualification", "\(qualification?.name ?? "") (\(registration.id.qualification))")
        fields.append("status", standing(registration.standing(on: today)))
        fields.append("registered", date(registration.registeredOn))
        fields.append("born", date(holder.birthDate))
        fields.append("sex", holder.sex.map { $0.japanese })
        fields.append("prefecture", registration.prefecture?.name)
        fields.append("authority", config.authority(record.authority)?.name ?? record.authority)
        if let card = registration.card {
            fields.append("card", "\(qualification?.certificate ?? "card") valid \(card.lowerBound.iso) to \(card.upperBound.iso) (\(card.upperBound.japanese))")
        }
        if !registration.additions.isEmpty {
            fields.append(
                "additions",
                registration.additions.map { "\(qualification?.addition($0.code)?.name ?? $0.code) \($0.date.iso)" }.joined(separator: "\n"))
        }
        if !registration.dispositions.isEmpty {
            fields.append("dispositions", registration.dispositions.map(disposition).joined(separator: "\n"))
        }
        if !registration.reports.isEmpty {
            fields.append(
                "reports",
                registration.reports.map { report in
                    let late = qualification?.periodicReport.flatMap { duty in report.isLate(for: duty) ? duty.deadline(for: report.year) : nil }
                    return "\(report.year): filed \(report.filedOn.iso)\(late.map { " (late: due \($0.iso))" } ?? "")\(report.practising ? "" : ", not practising")"
                }.joined(separator: "\n"))
        }
        fields.append("certificate", "\(qualification?.certificate ?? "certificate") No. \(registration.certificateSerial)")
        fields.append("credential", record.credential.map { CredentialHash.text($0.hash) })
        return "\(title(registration.id)) — \(holder.displayName)（\(holder.nameKana)）\n" + fields.render()
    }

    static func disposition(_ disposition: Disposition) -> String {
        var text = "\(disposition.kind.rawValue) decided \(disposition.date.iso)"
        if let from = disposition.from, let until = disposition.until { text += ", \(from.iso) to \(until.iso)" }
        if let lifted = disposition.liftedOn { text += ", lifted \(lifted.iso)" }
        return text + ": \(disposition.reason)"
    }

    static func json(_ record: RegistrationRecord, today: CalendarDate) -> JSONValue {
        let registration = record.registration
        var object: JSONObject = [
            "registration": .string(registration.id.description), "qualification": .string(registration.id.qualification.rawValue),
            "number": .string(registration.id.number), "status": .string(registration.standing(on: today).name),
            "registeredOn": .string(registration.registeredOn.iso), "holder": registration.holder.json,
            "authority": .string(record.authority), "certificateSerial": .number(JSONNumber(registration.certificateSerial)),
        ]
        object["prefecture"] = registration.prefecture.map { .string($0.romanized) } ?? .null
        if let card = registration.card { object["card"] = ["validFrom": .string(card.lowerBound.iso), "validUntil": .string(card.upperBound.iso)] }
        object["additions"] = .array(registration.additions.map { ["code": .string($0.code), "date": .string($0.date.iso)] })
        object["dispositions"] = .array(
            registration.dispositions.map { disposition in
                var decided = RegistrationEvent.dispose(disposition).json.objectValue ?? [:]
                decided["liftedOn"] = disposition.liftedOn.map { .string($0.iso) } ?? .null
                return .object(decided)
            })
        object["erasure"] = registration.erasure.map { ["date": .string($0.date.iso), "reason": .string($0.reason.rawValue)] } ?? .null
        let duty = (try? Catalog.qualification(registration.id.qualification))?.periodicReport
        object["reports"] = .array(
            registration.reports.map { report in
                var filing = RegistrationEvent.report(report).json.objectValue ?? [:]
                filing["late"] = .bool(duty.map { report.isLate(for: $0) } ?? false)
                return .object(filing)
            })
        object["credential"] = record.credential.map { .string(CredentialHash.text($0.hash)) } ?? .null
        return .object(object)
    }
}
