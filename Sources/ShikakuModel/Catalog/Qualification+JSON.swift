public import ShikakuJSON

// The catalog's JSON form (Registry/README.md documents it member by member).
// Decoding and encoding sit side by side so the two stay mirror images (a qualification's own decoding is
// its initializer, which a class keeps in its body); a test checks that encoding what was decoded gives the
// file's entries back exactly.

extension Qualification {
    /// The entry as the catalog file writes it.
    public var json: JSONValue {
        [
            "code": .string(code.rawValue), "number": .number(JSONNumber(number)), "name": .string(name),
            "reading": .string(reading), "englishName": .string(englishName), "law": .string(law),
            "lawNumber": JSONValue(lawNumber), "authority": .string(authority),
            "registeredBy": .string(registeredBy.rawValue), "register": .string(register),
            "registerKeeper": .string(registerKeeper), "registrationBody": JSONValue(registrationBody),
            "applicationRoute": .string(applicationRoute), "certificate": .string(certificate),
            "registrationNumber": [
                "digits": .number(JSONNumber(registrationNumber.digits)),
                "prefecturePrefix": .bool(registrationNumber.prefecturePrefix),
            ],
            "validity": validity.json, "periodicReport": periodicReport?.json ?? .null,
            "prerequisites": .array(prerequisites.map(\.json)), "additions": .array(additions.map(\.json)),
            "dispositions": .array(dispositions.map(\.json)), "relicense": relicense?.json ?? .null,
            "recordsSex": .bool(recordsSex),
            "uncertain": .array(uncertain.map { ["field": .string($0.field), "note": .string($0.note)] }),
        ]
    }
}

extension Validity {
    init(decoding reader: JSONReader) throws {
        switch try reader["kind"].string() {
        case "permanent":
            try reader.rejectUnknownMembers(["kind"])
            self = .permanent
        case "renewable":
            try reader.rejectUnknownMembers([
                "kind", "years", "renewalOpensMonthsBefore", "renewalTraining", "afterLapse", "article", "renewalArticle",
            ])
            self = .renewable(
                Renewal(
                    years: try reader["years"].int(), opensMonthsBefore: try reader["renewalOpensMonthsBefore"].int(),
                    training: try reader["renewalTraining"].string(), afterLapse: try reader["afterLapse"].string(),
                    article: try reader["article"].optionalString(),
                    renewalArticle: try reader["renewalArticle"].optionalString()))
        case let other:
            throw ModelError(.invalidCatalog, "\(reader.path).kind: unknown validity kind \"\(other)\"")
        }
    }

    var json: JSONValue {
        switch self {
        case .permanent:
            return ["kind": "permanent"]
        case .renewable(let renewal):
            return [
                "kind": "renewable", "years": .number(JSONNumber(renewal.years)),
                "renewalOpensMonthsBefore": .number(JSONNumber(renewal.opensMonthsBefore)),
                "renewalTraining": .string(renewal.training), "afterLapse": .string(renewal.afterLapse),
                "article": JSONValue(renewal.article), "renewalArticle": JSONValue(renewal.renewalArticle),
            ]
        }
    }
}

extension PeriodicReport {
    init(decoding reader: JSONReader) throws {
        try reader.rejectUnknownMembers(["name", "everyYears", "asOf", "dueBy", "whilePractisingOnly", "article"])
        name = try reader["name"].string()
        everyYears = try reader["everyYears"].int()
        asOf = try reader["asOf"].string()
        dueBy = try reader["dueBy"].string()
        whilePractisingOnly = try reader["whilePractisingOnly"].bool()
        article = try reader["article"].optionalString()
        guard everyYears > 0 else { throw ModelError(.invalidCatalog, "\(reader.path).everyYears: must be positive") }
        // A leap year, so that 02-29 passes here; statusDay(in:) and deadline(for:) answer nil in other years.
        for (name, value) in [("asOf", asOf), ("dueBy", dueBy)] where PeriodicReport.day(value, in: 2000) == nil {
            throw ModelError(.invalidCatalog, "\(reader.path).\(name): \"\(value)\" is not a day as MM-DD")
        }
    }

    var json: JSONValue {
        [
            "name": .string(name), "everyYears": .number(JSONNumber(everyYears)), "asOf": .string(asOf),
            "dueBy": .string(dueBy), "whilePractisingOnly": .bool(whilePractisingOnly), "article": JSONValue(article),
        ]
    }
}

extension Addition {
    init(decoding reader: JSONReader) throws {
        try reader.rejectUnknownMembers(["code", "name", "minYears", "article"])
        code = try reader["code"].string()
        name = try reader["name"].string()
        minYears = try reader["minYears"].optionalInt()
        article = try reader["article"].optionalString()
    }

    var json: JSONValue {
        ["code": .string(code), "name": .string(name), "minYears": JSONValue(minYears), "article": JSONValue(article)]
    }
}

extension DispositionRule {
    init(decoding reader: JSONReader) throws {
        try reader.rejectUnknownMembers(["kind", "name", "maxYears", "article"])
        kind = try reader["kind"].enumeration(DispositionKind.self)
        name = try reader["name"].string()
        maxYears = try reader["maxYears"].optionalInt()
        article = try reader["article"].optionalString()
    }

    var json: JSONValue {
        ["kind": .string(kind.rawValue), "name": .string(name), "maxYears": JSONValue(maxYears), "article": JSONValue(article)]
    }
}

extension Relicense {
    init(decoding reader: JSONReader) throws {
        try reader.rejectUnknownMembers(["name", "waitYears", "article"])
        name = try reader["name"].string()
        waitYears = try reader["waitYears"].optionalInt()
        article = try reader["article"].optionalString()
    }

    var json: JSONValue { ["name": .string(name), "waitYears": JSONValue(waitYears), "article": JSONValue(article)] }
}

extension JSONReader {
    /// The member as a case of `type`, by raw value.
    func enumeration<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ModelError(.invalidCatalog, "\(path): \"\(text)\" is not one of \(allowed)")
        }
        return value
    }
}

extension JSONValue {
    /// `null` for `nil`, else the string.
    init(_ text: String?) { self = text.map { .string($0) } ?? .null }
    /// `null` for `nil`, else the integer.
    init(_ number: Int?) { self = number.map { .number(JSONNumber($0)) } ?? .null }
}
