public import ShikakuJSON

/// The 32 qualifications.
///
/// `Registry/qualifications.json` is the one source of truth; `Scripts/generate-catalog`
/// embeds it byte for byte in ``Catalog/source``, which is decoded on first use. A
/// test proves the embedded copy equals the file and that encoding the decoded
/// values gives the file's entries back.
public enum Catalog {
    /// Every qualification, in the Digital Agency's order.
    public static let all: [Qualification] = {
        do {
            return try decode(Array(source.utf8))
        } catch {
            preconditionFailure("the embedded catalog does not decode: \(error). Run Scripts/generate-catalog.")
        }
    }()

    private static let byCode: [QualificationCode: Qualification] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// Each qualification's number format alone: parsing a registration number, as replaying a journal does
    /// for every record, then copies no whole qualification.
    static let numberFormats: [QualificationCode: RegistrationNumberFormat] = byCode.mapValues(\.registrationNumber)

    private static let numbers: [QualificationCode: Int] = byCode.mapValues(\.number)

    /// The number (1–32) of the qualification with `code`, if there is one, without copying the
    /// qualification: the indexes key every record by it.
    public static func number(of code: QualificationCode) -> Int? { numbers[code] }

    /// The qualification with `code`.
    /// - Throws: `input.unknown-qualification`, suggesting the nearest code.
    public static func qualification(_ code: QualificationCode) throws(ModelError) -> Qualification {
        if let found = byCode[code] { return found }
        var message = "\"\(code)\" is not a qualification code"
        if let near = nearest(to: code.rawValue) { message += "; did you mean \(near.code) (\(near.name))?" }
        throw ModelError(.unknownQualification, message + "; `shikaku catalog` lists the 32 codes")
    }

    /// The qualification named by `text`: its code (`physician`) or its Japanese name (医師).
    /// - Throws: `input.unknown-qualification`.
    public static func find(_ text: String) throws(ModelError) -> Qualification {
        if let byName = all.first(where: { $0.name == text }) { return byName }
        return try qualification(QualificationCode(rawValue: text))
    }

    /// The catalog's qualifications encoded as in `Registry/qualifications.json`'s `qualifications` array.
    public static var json: JSONValue { .array(all.map(\.json)) }

    /// Decodes a catalog file: `{"format": "shikaku-catalog/1", "source": …, "qualifications": [...]}`.
    /// - Throws: `input.invalid-catalog`, naming the member at fault.
    public static func decode(_ bytes: [UInt8]) throws(ModelError) -> [Qualification] {
        do {
            let root = JSONReader(try JSONValue.parse(bytes))
            try root.rejectUnknownMembers(["format", "source", "qualifications"])
            guard try root["format"].string() == "shikaku-catalog/1" else {
                throw ModelError(.invalidCatalog, "$.format: expected shikaku-catalog/1")
            }
            let entries = try root["qualifications"].array().map(Qualification.init(decoding:))
            try checkReferences(entries)
            return entries
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError(.invalidCatalog, "the catalog is malformed: \(error)")
        }
    }

    private static func checkReferences(_ entries: [Qualification]) throws(ModelError) {
        let codes = Set(entries.map(\.code))
        guard codes.count == entries.count else {
            throw ModelError(.invalidCatalog, "the catalog lists a code twice")
        }
        func check(_ requirement: Requirement, in entry: Qualification) throws(ModelError) {
            switch requirement {
            case .qualification(let code, _) where !codes.contains(code):
                throw ModelError(.invalidCatalog, "\(entry.code): prerequisite names unknown qualification \(code)")
            case .practice(let practice, _):
                if let unknown = practice.basedOn.first(where: { !codes.contains($0) }) {
                    throw ModelError(.invalidCatalog, "\(entry.code): practice names unknown qualification \(unknown)")
                }
            case .anyOf(let alternatives, _):
                for alternative in alternatives { try check(alternative, in: entry) }
            default:
                break
            }
        }
        for entry in entries {
            for requirement in entry.prerequisites { try check(requirement, in: entry) }
        }
    }

    /// The qualification whose code is closest to `text` by edit distance, if any is close.
    private static func nearest(to text: String) -> Qualification? {
        let target = Array(text.lowercased().utf8)
        let scored = all.map { ($0, editDistance(target, Array($0.code.rawValue.utf8))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, target.count / 3) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
