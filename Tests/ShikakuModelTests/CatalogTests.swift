import Foundation
import ShikakuJSON
import ShikakuTestSupport
import Testing

@testable import ShikakuModel

@Suite struct CatalogTests {
    static let file = Vectors.packageRoot.appendingPathComponent("Registry/qualifications.json")

    /// The library embeds Registry/qualifications.json byte for byte (Scripts/generate-catalog).
    @Test func embeddedCatalogIsTheRegistryFile() throws {
        let bytes = try Data(contentsOf: Self.file)
        #expect(Array(Catalog.source.utf8) == Array(bytes), "run Scripts/generate-catalog after editing the JSON")
    }

    /// Encoding the decoded values gives back every entry of the file, member for member and in order.
    @Test func typedValuesAgreeWithTheFile() throws {
        let file = try JSONValue.parse(Array(Data(contentsOf: Self.file)))
        let entries = try #require(file.objectValue?["qualifications"]?.arrayValue)
        #expect(entries.count == 32)
        for (entry, qualification) in zip(entries, Catalog.all) {
            #expect(entry == qualification.json, "\(qualification.code) does not round-trip")
        }
    }

    @Test func holdsThe32QualificationsInOrder() {
        #expect(Catalog.all.count == 32)
        #expect(Catalog.all.map(\.number) == Array(1...32))
        #expect(Set(Catalog.all.map(\.code)).count == 32)
        #expect(Catalog.all.allSatisfy { !$0.name.isEmpty && !$0.law.isEmpty && !$0.register.isEmpty && !$0.certificate.isEmpty })
    }

    /// A prefecture registers 准看護師, 栄養士, 保育士 and 介護支援専門員; a national office the rest.
    @Test func prefecturesKeepFourRegisters() {
        let prefectural = Set(Catalog.all.filter { $0.registeredBy == .prefectural }.map(\.code))
        #expect(prefectural == ["assistant-nurse", "dietitian", "nursery-teacher", "care-manager"])
    }

    @Test func onlyTheCareManagersCardExpires() throws {
        let renewable = Catalog.all.filter { $0.validity.renewal != nil }.map(\.code)
        #expect(renewable == ["care-manager"])
        let renewal = try #require(try Catalog.qualification("care-manager").validity.renewal)
        #expect(renewal.years == 5)
    }

    @Test func everyTimeBoundDispositionIsAllowedByItsLaw() {
        for qualification in Catalog.all {
            #expect(qualification.disposition(.revocation) != nil, "\(qualification.code) has no revocation")
            #expect(Set(qualification.dispositions.map(\.kind)).count == qualification.dispositions.count)
        }
    }

    @Test func uncertainFactsNameFieldsThatExist() throws {
        let file = try JSONValue.parse(Array(Data(contentsOf: Self.file)))
        let entries = try #require(file.objectValue?["qualifications"]?.arrayValue)
        for (entry, qualification) in zip(entries, Catalog.all) {
            #expect(!qualification.uncertain.isEmpty, "\(qualification.code) lists no uncertain facts")
            for fact in qualification.uncertain {
                #expect(resolve(fact.field, in: entry) != nil, "\(qualification.code): no field \(fact.field)")
            }
        }
    }

    /// The reference gives 保助看法 3条, 7条, 14条, 15条の2 and 33条 from knowledge only (33条 sourced in substance
    /// only), and every 介護保険法 article number but 69条の39: each such article in the catalog is flagged.
    @Test func articlesTheReferenceGivesFromKnowledgeAreFlagged() throws {
        let file = try JSONValue.parse(Array(Data(contentsOf: Self.file)))
        let entries = try #require(file.objectValue?["qualifications"]?.arrayValue)
        for (entry, qualification) in zip(entries, Catalog.all) {
            let flagged = Set(qualification.uncertain.map(\.field))
            for (path, text) in strings(in: entry, at: "") where path.hasSuffix("article") || path.hasSuffix("Article") {
                let knowledgeOnly =
                    text.hasPrefix("保健師助産師看護師法") || (text.hasPrefix("介護保険法") && !text.hasPrefix("介護保険法69条の39"))
                guard knowledgeOnly else { continue }
                #expect(flagged.contains(path), "\(qualification.code): \(path) (\(text)) is not flagged uncertain")
            }
        }
    }

    /// Every string in `value` with its path (`dispositions[1].article`).
    private func strings(in value: JSONValue, at path: String) -> [(String, String)] {
        switch value {
        case .string(let text): [(path, text)]
        case .array(let items):
            items.enumerated().flatMap { strings(in: $1, at: "\(path)[\($0)]") }
        case .object(let object):
            object.members.flatMap { strings(in: $0.value, at: path.isEmpty ? $0.key : "\(path).\($0.key)") }
        default: []
        }
    }

    /// Follows `a.b[2].c` through a JSON value.
    private func resolve(_ path: String, in value: JSONValue) -> JSONValue? {
        var current: JSONValue? = value
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int] = []
            while let open = name.lastIndex(of: "["), name.last == "]", let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            current = current?.objectValue?[String(name)]
            for index in indexes {
                guard let array = current?.arrayValue, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }

    @Test func findsByCodeOrJapaneseName() throws {
        #expect(try Catalog.find("医師").code == "physician")
        #expect(try Catalog.find("care-manager").name == "介護支援専門員")
        let error = #expect(throws: ModelError(.unknownQualification, "")) { try Catalog.find("physican") }
        #expect(error?.message.contains("physician") == true)
    }

    @Test func rejectsMalformedCatalogs() {
        for text in [
            #"{"format": "shikaku-catalog/2", "source": "", "qualifications": []}"#,
            #"{"format": "shikaku-catalog/1", "source": "", "qualifications": [{"code": "x"}]}"#,
            #"{"format": "shikaku-catalog/1", "qualifications": [], "extra": 1}"#,
            "not json",
        ] {
            #expect(throws: ModelError(.invalidCatalog, "")) { try Catalog.decode(Array(text.utf8)) }
        }
    }
}

@Suite struct RegistrationIDTests {
    @Test func parsesCodeAndNumber() throws {
        let id = try RegistrationID(parsing: "physician:0000123")
        #expect(id.qualification == "physician")
        #expect(id.number == "0000123")
        #expect(try RegistrationID(parsing: "care-manager:13000045").number == "13000045")
    }

    @Test(arguments: ["physician", "physician:123", "physician:000012a", "physician:000123", "care-manager:000045", ":0000123"])
    func rejectsMalformedNames(_ text: String) {
        #expect(throws: ModelError(.invalidRegistrationID, "")) { try RegistrationID(parsing: text) }
    }

    @Test func rejectsUnknownRegisters() {
        #expect(throws: ModelError(.unknownQualification, "")) { try RegistrationID(parsing: "wizard:0000123") }
    }
}
