import ShikakuCrypto
import ShikakuModel
import ShikakuOffice

/// What a batch does with each row, and the columns it reads.
enum BatchAction: String, CaseIterable {
    case register, renew, report, suspend, reinstate, revoke, reissue, erase

    /// Columns every row must have.
    var required: [String] {
        switch self {
        case .register: ["qualification", "myNumber", "name", "kana", "birthDate"]
        case .renew: ["registration", "trainingDate"]
        case .report: ["registration", "year"]
        case .suspend: ["registration", "from", "until", "reason"]
        case .reinstate, .revoke: ["registration", "reason"]
        case .reissue, .erase: ["registration", "reason"]
        }
    }

    /// Columns a row may have.
    var optional: [String] {
        var columns = ["key", "date"]
        switch self {
        case .register: columns += ["formerSurname", "sex", "exams", "trainings", "practice"]
        case .renew: columns += ["afterLapse"]
        case .report: columns += ["workplace", "practising"]
        case .suspend: columns += ["kind"]
        default: break
        }
        return columns
    }

    /// Reads a row into the office's batch.
    /// - Returns: The row's request key.
    func apply(_ row: BatchRow, office: Office, requestKey: (String?) throws -> SHA256.Digest) throws -> SHA256.Digest {
        let fields = RowFields(row: row)
        try fields.check(required: required, optional: optional)
        let date = try fields.date("date") ?? Timestamp.now().dateInJapan
        if self == .register {
            let birthDate = try fields.requiredDate("birthDate")
            let sex = try fields["sex"].map { text in try fields.field("sex") { try Sex(parsing: text) } }
            let holder: Holder
            do {
                holder = try Holder(
                    name: try fields.required("name"), nameKana: try fields.required("kana"), formerSurname: fields["formerSurname"],
                    birthDate: birthDate, sex: sex)
            } catch let error as ModelError {
                let field =
                    switch error.code {
                    case .invalidKana: "kana"
                    case .invalidBirthDate: "birthDate"
                    default: error.message.hasPrefix("formerSurname") ? "formerSurname" : "name"
                    }
                throw RowFailure(line: row.line, field: field, code: error.code.rawValue, message: error.message)
            }
            let number = try fields.field("myNumber") {
                var bytes = Array(try fields.required("myNumber").utf8)
                return try MyNumber(SecretBytes(wiping: &bytes))
            }
            let holderKey = try office.holderKey(number)
            let evidence = RegistrationEvidence(
                exams: try fields.list("exams").map { text in try fields.field("exams") { try RegisterCommand.completion(text, option: "exams") } },
                trainings: try fields.list("trainings").map { text in
                    try fields.field("trainings") { try RegisterCommand.completion(text, option: "trainings") }
                },
                practice: try fields["practice"].map { text in try fields.field("practice") { try RegisterCommand.practice(text) } })
            let qualification = try fields.field("qualification") { try Catalog.find(try fields.required("qualification")) }
            let request = try requestKey(holderKey.hex)
            try fields.naming(columns: required + optional) {
                try office.register(qualification.code, holder: holderKey, person: holder, evidence: evidence, on: date, request: request)
            }
            return request
        }
        let id = try fields.field("registration") { try RegistrationID(parsing: try fields.required("registration")) }
        let event: RegistrationEvent
        switch self {
        case .register: preconditionFailure("handled above")
        case .renew:
            let renewal = CardRenewal(date: date, trainingCompletedOn: try fields.requiredDate("trainingDate"))
            event = try fields.bool("afterLapse") ? .retrain(renewal) : .renew(renewal)
        case .report:
            let year = try fields.field("year") { () throws -> Int in
                guard let year = Int(try fields.required("year")), (1900...9999).contains(year) else {
                    throw CLIError(.invalidField, "\"\(try fields.required("year"))\" is not a year (write it as 2024)")
                }
                return year
            }
            let workplace = try fields["workplace"].map { text in
                try fields.field("workplace") { () throws -> Prefecture in
                    guard let prefecture = Prefecture.named(text) else { throw CLIError(.invalidField, "\"\(text)\" is not a prefecture") }
                    return prefecture
                }
            }
            event = .report(PeriodicReportFiling(year: year, filedOn: date, practising: try fields.bool("practising", default: true), workplace: workplace))
        case .suspend:
            let kind: DispositionKind =
                switch fields["kind"] {
                case "title": .titleSuspension
                case "ban": .practiceBan
                case "practice": .practiceSuspension
                case nil: try Catalog.qualification(id.qualification).dispositions.first(where: \.kind.isTimeBound)?.kind ?? .practiceSuspension
                case let other?: throw RowFailure(line: row.line, field: "kind", code: "input.invalid-field", message: "\"\(other)\" is not practice, title or ban")
                }
            event = .dispose(
                Disposition(kind: kind, date: date, from: try fields.requiredDate("from"), until: try fields.requiredDate("until"), reason: try fields.required("reason")))
        case .reinstate: event = .reinstate(Reinstatement(date: date, reason: try fields.required("reason")))
        case .revoke: event = .dispose(Disposition(kind: .revocation, date: date, reason: try fields.required("reason")))
        case .reissue:
            guard let reason = Reissue.Reason(rawValue: try fields.required("reason")) else {
                throw RowFailure(line: row.line, field: "reason", code: "input.invalid-field", message: "\"\(try fields.required("reason"))\" is not lost, damaged or rewrite")
            }
            event = .reissue(Reissue(date: date, reason: reason))
        case .erase:
            guard let reason = Erasure.Reason(rawValue: try fields.required("reason")) else {
                throw RowFailure(line: row.line, field: "reason", code: "input.invalid-field", message: "\"\(try fields.required("reason"))\" is not death or application")
            }
            event = .erase(Erasure(date: date, reason: reason))
        }
        let request = try requestKey(nil)
        try fields.naming(columns: required + optional) { try office.change(id, event, request: request) }
        return request
    }
}

/// A row that could not be done: its line, the field at fault when known, a stable code and a message.
struct RowFailure: Error {
    let line: Int
    let field: String?
    let code: String
    let message: String
}

/// A row's fields, with errors that name the row and the field.
struct RowFields {
    let row: BatchRow

    subscript(name: String) -> String? { row.fields[name] }

    /// The columns a JSON Lines row may give as a number or a boolean (a string is always taken too, as a CSV
    /// row gives it).
    static let types: [String: BatchRow.JSONKind] = ["year": .number, "practising": .boolean, "afterLapse": .boolean]

    /// Runs the office's check of the row, naming the field its refusal is about when there is one: the
    /// registration the registry lacks or the authority may not change, the date, or the column (of
    /// `columns`) a message starts with (`workplace: …`).
    func naming(columns: [String], _ work: () throws -> Void) throws {
        do {
            try work()
        } catch let error as OfficeError where !error.code.isStorageFailure {
            let field: String? =
                switch error.code {
                case .unknownRegistration, .authorityNotEntitled: row.fields["registration"] != nil ? "registration" : "qualification"
                case .futureDate: "date"
                default: nil
                }
            throw RowFailure(line: row.line, field: field, code: error.code.rawValue, message: error.message)
        } catch let error as ModelError {
            let named = error.message.prefix { $0 != ":" && $0 != " " }
            let field = error.message.dropFirst(named.count).hasPrefix(":") && columns.contains(String(named)) ? String(named) : nil
            throw RowFailure(line: row.line, field: field, code: error.code.rawValue, message: error.message)
        }
    }

    func check(required: [String], optional: [String]) throws {
        for name in required where row.fields[name] == nil {
            throw RowFailure(line: row.line, field: name, code: "input.missing-field", message: "\(name) is required")
        }
        // A dozen columns at most: searched in place, not hashed into a set a row.
        if let unknown = row.fields.keys.sorted().first(where: { !required.contains($0) && !optional.contains($0) }) {
            throw RowFailure(line: row.line, field: unknown, code: "input.unknown-field", message: "\(unknown) is not a column this batch reads")
        }
        // JSON Lines: a number only for a year, a boolean only for a yes-or-no column; the rest is text (a My
        // Number or registration number written as a number would lose what a string keeps).
        for (name, kind) in row.typed.sorted(by: { $0.key < $1.key }) where RowFields.types[name] != kind {
            let wanted = RowFields.types[name].map { "a \($0.rawValue)" } ?? "a string"
            throw RowFailure(
                line: row.line, field: name, code: "input.invalid-field", message: "\(name) is a JSON \(kind.rawValue) here; it takes \(wanted)")
        }
    }

    func required(_ name: String) throws -> String {
        guard let value = row.fields[name] else {
            throw RowFailure(line: row.line, field: name, code: "input.missing-field", message: "\(name) is required")
        }
        return value
    }

    func date(_ name: String) throws -> CalendarDate? {
        try row.fields[name].map { text in try field(name) { try CalendarDate(iso: text, field: name) } }
    }

    func requiredDate(_ name: String) throws -> CalendarDate {
        try field(name) { try CalendarDate(iso: try required(name), field: name) }
    }

    func bool(_ name: String, default fallback: Bool = false) throws -> Bool {
        switch row.fields[name]?.lowercased() {
        case nil: return fallback
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        case let other?: throw RowFailure(line: row.line, field: name, code: "input.invalid-value", message: "\"\(other)\" is not true or false")
        }
    }

    /// A `;`-separated list.
    func list(_ name: String) throws -> [String] {
        row.fields[name].map { $0.split(separator: ";").map { String($0).trimmingCharacters() }.filter { !$0.isEmpty } } ?? []
    }

    /// Runs `body`, turning its error into one that names this row and `name`.
    func field<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RowFailure {
            throw error
        } catch {
            let (code, message, _) = CLI.describe(error)
            throw RowFailure(line: row.line, field: name, code: code, message: message)
        }
    }
}
