import Foundation
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// No personal data in the export: every byte of every exported file is searched for the holders' names
/// and kana (whole and in parts, as UTF-8 and as JSON escapes), birth dates (ISO, compact, slashed, Western
/// and era-written), registration numbers, the reason of a disposition, the My Numbers and the holder keys
/// derived from them. The same search over the registry's own files finds each of those it keeps, so the
/// search does look where the data would be.
@Suite struct ExportPrivacyTests {
    struct Person {
        let name: String
        let kana: String
        let birthDate: String
        let myNumber: String
    }

    static let people = [
        Person(name: "勅使河原 蒼一郎", kana: "テシガワラ ソウイチロウ", birthDate: "1987-06-23", myNumber: myNumber(48_151_623_420)),
        Person(name: "御手洗 菫", kana: "ミタライ スミレ", birthDate: "1979-12-04", myNumber: myNumber(31_415_926_535)),
    ]
    static let amendedName = "西園寺 菫"
    static let reason = "診療報酬不正請求事件第四八一号"

    /// A valid My Number: the 11 digits of `serial` and their check digit.
    static func myNumber(_ serial: Int) -> String {
        let body = Array(String(serial).utf8)
        return String(decoding: body + [MyNumber.checkDigit(of: body)], as: UTF8.self)
    }

    /// The byte strings that must not appear: each text as UTF-8 and as JSON `\u` escapes.
    static func needles(_ texts: [String]) -> [(String, [UInt8])] {
        texts.flatMap { text -> [(String, [UInt8])] in
            let escaped = text.unicodeScalars.map { $0.isASCII ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
            return [(text, Array(text.utf8)), (escaped, Array(escaped.utf8)), (escaped.uppercased(), Array(escaped.uppercased().utf8))]
        }
    }

    static func dates(_ iso: String) throws -> [String] {
        let date = try CalendarDate(iso: iso)
        return [iso, iso.replacingOccurrences(of: "-", with: ""), iso.replacingOccurrences(of: "-", with: "/"), "\(date.year)年\(date.month)月\(date.day)日", date.japanese]
    }

    static func holderKeyForms(_ key: HolderKey) -> [(String, [UInt8])] {
        let bytes = key.digest.bytes
        let base64 = Data(bytes).base64EncodedString()
        let base64url = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return [("holder key bytes", bytes)] + [key.hex, key.hex.uppercased(), base64, base64url].map { ($0, Array($0.utf8)) }
    }

    static func found(_ needle: [UInt8], in files: [String: [UInt8]]) -> [String] {
        files.filter { _, bytes in bytes.count >= needle.count && (0...bytes.count - needle.count).contains { bytes[$0..<$0 + needle.count].elementsEqual(needle) } }
            .keys.sorted()
    }

    @Test func theExportHoldsNoPersonalData() throws {
        let fixture = try OfficeFixture()
        let ministry = try fixture.office()
        var keys: [HolderKey] = []
        var ids: [RegistrationID] = []
        for person in Self.people {
            let key = try ministry.holderKey(try MyNumber(SecretBytes(copying: Array(person.myNumber.utf8))))
            keys.append(key)
            let holder = try Holder(name: person.name, nameKana: person.kana, birthDate: try CalendarDate(iso: person.birthDate), sex: .female)
            ids.append(
                try ministry.register(
                    "physician", holder: key, person: holder, evidence: OfficeFixture.evidence("physician", on: "2015-03-15"), on: OfficeFixture.date("2015-04-01")))
        }
        try ministry.commit()
        try ministry.change(ids[1], .amend(Amendment(name: Self.amendedName, formerSurname: "御手洗", date: OfficeFixture.date("2021-06-01"))))
        try ministry.change(ids[0], .dispose(Disposition(kind: .revocation, date: OfficeFixture.date("2023-11-01"), reason: Self.reason)))
        try ministry.commit()
        let tokyo = try fixture.office("tokyo", registry: ministry.registry)
        let person = Self.people[1]
        let manager = try tokyo.register(
            "care-manager", holder: keys[1],
            person: try Holder(name: Self.amendedName, nameKana: person.kana, formerSurname: "御手洗", birthDate: try CalendarDate(iso: person.birthDate)),
            evidence: OfficeFixture.evidence("care-manager"), on: OfficeFixture.date("2020-04-01"))
        ids.append(manager)
        try tokyo.commit()
        try fixture.export(ministry.registry, keys: try fixture.exportKeys(ministry.registry))

        var kept: [String] = [Self.amendedName, Self.reason]
        var held: [(String, [UInt8])] = []
        for person in Self.people {
            let parts = person.name.split(separator: " ").map(String.init) + person.kana.split(separator: " ").map(String.init)
            kept += [person.name, person.kana] + parts + (try Self.dates(person.birthDate))
            held += Self.needles([person.myNumber])
        }
        for id in ids { kept += [id.description, id.number, "第\(id.number)号"] }
        let exported = try ExportedFolder.files(fixture.exportPath)
        let registry = try ExportedFolder.files(fixture.path)
        #expect(exported.count >= 9)
        for (text, needle) in Self.needles(kept) + held + keys.flatMap(Self.holderKeyForms) {
            #expect(Self.found(needle, in: exported).isEmpty, "\(text) is in the export: \(Self.found(needle, in: exported))")
        }
        // The search works: the registry itself keeps the names, kana, ISO birth dates, numbers, the reason
        // and the holder keys (as hex), and never a My Number.
        let inJournal = Self.people.flatMap { [$0.name, $0.kana, $0.birthDate] } + ids.map(\.number) + [Self.amendedName, Self.reason] + keys.map(\.hex)
        for text in inJournal { #expect(!Self.found(Array(text.utf8), in: registry).isEmpty, "the search misses \(text) in the registry") }
        for (text, needle) in held { #expect(Self.found(needle, in: registry).isEmpty, "\(text) is in the registry") }
    }
}
