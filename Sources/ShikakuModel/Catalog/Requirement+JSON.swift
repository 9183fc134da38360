public import ShikakuJSON

extension Requirement {
    init(decoding reader: JSONReader) throws {
        let article = try reader["article"].optionalString()
        switch try reader["kind"].string() {
        case "exam":
            try reader.rejectUnknownMembers(["kind", "name", "article"])
            self = .exam(name: try reader["name"].string(), article: article)
        case "training":
            try reader.rejectUnknownMembers(["kind", "name", "article"])
            self = .training(name: try reader["name"].string(), article: article)
        case "qualification":
            try reader.rejectUnknownMembers(["kind", "qualification", "article"])
            self = .qualification(QualificationCode(rawValue: try reader["qualification"].string()), article: article)
        case "sex":
            try reader.rejectUnknownMembers(["kind", "sex", "article"])
            self = .sex(try reader["sex"].enumeration(Sex.self), article: article)
        case "practice":
            try reader.rejectUnknownMembers(["kind", "years", "days", "basedOn", "orWork", "article"])
            let practice = Practice(
                years: try reader["years"].int(), days: try reader["days"].int(),
                basedOn: try reader["basedOn"].array().map { QualificationCode(rawValue: try $0.string()) },
                orWork: try reader["orWork"].optionalString())
            self = .practice(practice, article: article)
        case "anyOf":
            try reader.rejectUnknownMembers(["kind", "of", "article"])
            let alternatives = try reader["of"].array().map(Requirement.init(decoding:))
            guard alternatives.count >= 2 else {
                throw ModelError(.invalidCatalog, "\(reader.path).of: anyOf needs at least two alternatives")
            }
            self = .anyOf(alternatives, article: article)
        case let other:
            throw ModelError(.invalidCatalog, "\(reader.path).kind: unknown requirement kind \"\(other)\"")
        }
    }

    /// The requirement as the catalog file writes it.
    public var json: JSONValue {
        switch self {
        case .exam(let name, let article):
            ["kind": "exam", "name": .string(name), "article": JSONValue(article)]
        case .training(let name, let article):
            ["kind": "training", "name": .string(name), "article": JSONValue(article)]
        case .qualification(let code, let article):
            ["kind": "qualification", "qualification": .string(code.rawValue), "article": JSONValue(article)]
        case .sex(let sex, let article):
            ["kind": "sex", "sex": .string(sex.rawValue), "article": JSONValue(article)]
        case .practice(let practice, let article):
            [
                "kind": "practice", "years": .number(JSONNumber(practice.years)),
                "days": .number(JSONNumber(practice.days)),
                "basedOn": .array(practice.basedOn.map { .string($0.rawValue) }), "orWork": JSONValue(practice.orWork),
                "article": JSONValue(article),
            ]
        case .anyOf(let alternatives, let article):
            ["kind": "anyOf", "of": .array(alternatives.map(\.json)), "article": JSONValue(article)]
        }
    }
}
