import ShikakuJSON
import Testing

@Suite struct ReaderTests {
    let root = JSONReader(
        [
            "name": "医師", "number": 1, "ratio": .number(JSONNumber(1.5)!), "flag": true, "none": nil,
            "list": [["law": 3]],
        ])

    @Test func readsTypedValues() throws {
        #expect(try root["name"].string() == "医師")
        #expect(try root["number"].int() == 1)
        #expect(try root["flag"].bool())
        #expect(try root["none"].optionalString() == nil)
        #expect(try root["absent"].optionalInt() == nil)
        #expect(try root["list"].array().count == 1)
    }

    @Test func errorsNameThePath() {
        let missing = #expect(throws: JSONError.self) { try root["list"][0]["name"].string() }
        #expect(missing?.code == .missingMember)
        #expect(missing?.description == "$.list[0].name: missing; expected a string")
        let wrong = #expect(throws: JSONError.self) { try root["list"][0]["law"].string() }
        #expect(wrong?.code == .typeMismatch)
        #expect(wrong?.description == "$.list[0].law: expected a string, found the number 3")
        #expect(throws: JSONError(.typeMismatch, "")) { try root["ratio"].int() }
        #expect(throws: JSONError(.typeMismatch, "")) { try root["name"].optionalInt() }
        #expect(throws: JSONError(.missingMember, "")) { try root["list"][5].object() }
    }

    @Test func rejectsUnknownMembers() {
        let error = #expect(throws: JSONError(.unknownMember, "")) {
            try root.rejectUnknownMembers(["name", "number", "ratio", "flag", "none"])
        }
        #expect(error?.message.contains("list") == true)
    }
}
