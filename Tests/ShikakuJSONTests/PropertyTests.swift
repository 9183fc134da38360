import ShikakuTestSupport
import Testing

@testable import ShikakuJSON

/// Random JSON values: canonical → parse gives the same value, canonicalising is idempotent, and the
/// pretty and compact forms parse back to the same value with the same member order.
@Suite struct PropertyTests {
    @Test(arguments: 1...20)
    func roundTrips(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let value = randomValue(depth: 0, using: &random)
            let canonical = value.canonicalBytes
            let reparsed = try JSONValue.parse(canonical)
            #expect(reparsed.canonicalBytes == canonical)
            #expect(try JSONValue.parse(value.prettyPrinted()) == value)
            #expect(try JSONValue.parse(value.compact) == value)
            #expect(try JSONValue.parse(value.compact).compact == value.compact)
        }
    }

    /// The canonical form written through the raw buffer, growing from its first 256 bytes past 64 KiB, is
    /// the one written into an array.
    @Test(arguments: 1...5)
    func theRawBufferWritesWhatAnArrayHolds(seed: UInt64) throws {
        var random = SplitMix64(seed: 300 + seed)
        var values = (0..<20).map { _ in randomValue(depth: 0, using: &random) }
        values.append(.array((0..<4_000).map { n in .string("\(n)\u{1}\"\\é🎌" + randomString(using: &random)) }))
        for value in values {
            var array: [UInt8] = []
            value.writeCanonical(to: &array)
            #expect(value.canonicalBytes == array)
        }
        #expect(values.last?.canonicalBytes.count ?? 0 > 65_536)
    }

    /// A member spliced into an object's canonical form gives the canonical form of the object with it.
    @Test(arguments: 1...10)
    func addingAMemberSplicesTheCanonicalForm(seed: UInt64) throws {
        var random = SplitMix64(seed: 100 + seed)
        var checked = 0
        for _ in 0..<50 {
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                object[randomString(using: &random)] = randomValue(depth: 2, using: &random)
            }
            let key = randomString(using: &random)
            guard object[key] == nil else { continue }
            let value = randomValue(depth: 2, using: &random)
            var whole = object
            whole[key] = value
            let canonical = CanonicalObject(object)
            #expect(canonical.bytes == JSONValue.object(object).canonicalBytes)
            #expect(canonical.adding(key, value) == JSONValue.object(whole).canonicalBytes, "\(key) into \(object)")
            checked += 1
        }
        #expect(checked > 25)
    }

    /// Objects written member by member (strings, integers, string arrays, nested objects and arrays of
    /// them), with a member spliced in where it belongs, are the canonical forms of the same trees.
    @Test(arguments: 1...10)
    func theWriterWritesTheCanonicalForm(seed: UInt64) throws {
        var random = SplitMix64(seed: 400 + seed)
        var splices = 0
        for _ in 0..<50 {
            var tree = JSONObject()
            var writer = CanonicalObjectWriter()
            let spliced = Int.random(in: 1..<Self.names.count, using: &random)
            var position: Int?
            var precedes = false
            for (index, name) in Self.names.enumerated() where index != spliced && Bool.random(using: &random) {
                if index > spliced && position == nil { position = writer.count }
                precedes = precedes || index < spliced
                writeMember(name, into: &writer, tree: &tree, depth: 0, using: &random)
            }
            let written = writer.finish()
            #expect(written == JSONValue.object(tree).canonicalBytes, "\(tree)")
            // A member is spliced after another: never first.
            guard precedes else { continue }
            let value = JSONValue.string(randomString(using: &random))
            var whole = tree
            whole[Self.names[spliced].description] = value
            let splice = CanonicalObjectWriter.splicing(Self.names[spliced], canonical: value.canonicalBytes, into: written, at: position ?? written.count - 1)
            #expect(splice == JSONValue.object(whole).canonicalBytes)
            splices += 1
        }
        #expect(splices > 25)
    }

    /// Member names in canonical order, one a prefix of the next, and one that sorts by UTF-16 unlike by scalar.
    private static let names: [StaticString] = ["@context", "a", "ab", "b", "id", "name", "nameKana", "type", "z", "\u{1F38C}", "\u{FF61}"]

    private func writeMember(
        _ name: StaticString, into writer: inout CanonicalObjectWriter, tree: inout JSONObject, depth: Int, using random: inout SplitMix64
    ) {
        let key = name.description
        switch Int.random(in: 0..<(depth < 2 ? 5 : 3), using: &random) {
        case 0:
            let text = randomString(using: &random)
            writer.string(name, text)
            tree[key] = .string(text)
        case 1:
            let number = Int.random(in: -(1 << 52)...(1 << 52), using: &random)
            writer.integer(name, number)
            tree[key] = .number(JSONNumber(number))
        case 2:
            let texts = (0..<Int.random(in: 0...3, using: &random)).map { _ in randomString(using: &random) }
            writer.strings(name, texts)
            tree[key] = .array(texts.map(JSONValue.string))
        case 3:
            var inner = JSONObject()
            writer.object(name) { nested in
                for other in Self.names where Bool.random(using: &random) {
                    writeMember(other, into: &nested, tree: &inner, depth: depth + 1, using: &random)
                }
            }
            tree[key] = .object(inner)
        default:
            var items: [JSONValue] = []
            writer.objects(name, count: Int.random(in: 0...3, using: &random)) { _, nested in
                var inner = JSONObject()
                for other in Self.names where Bool.random(using: &random) {
                    writeMember(other, into: &nested, tree: &inner, depth: depth + 1, using: &random)
                }
                items.append(.object(inner))
            }
            tree[key] = .array(items)
        }
    }

    /// The scanner reads what the parser reads, member by member, and skips what it is not asked for.
    @Test(arguments: 1...10)
    func theScannerReadsWhatTheParserReads(seed: UInt64) throws {
        var random = SplitMix64(seed: 200 + seed)
        for _ in 0..<50 {
            let value = randomValue(depth: 0, using: &random)
            let canonical = value.canonicalBytes
            let parsed = try JSONValue.parse(canonical)
            try scan(canonical) { scanner in try expectScanned(parsed, &scanner, reading: true) }
            let reading = Bool.random(using: &random)
            try scan(Array(value.prettyPrinted().utf8)) { scanner in try expectScanned(value, &scanner, reading: reading) }
            try scan(canonical) { scanner in try scanner.skip() }
            if let last = canonical.last, [UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "\"")].contains(last) {
                #expect(throws: JSONError.self) { try scan(Array(canonical.dropLast())) { scanner in try scanner.skip() } }
            }
        }
    }

    /// The scanner's own reading of short integers agrees with the parser's, at every edge of it.
    @Test func theScannerReadsIntegersAsTheParserDoes() throws {
        let texts = [
            "0", "-0", "7", "-12", "123456789012345678", "-123456789012345678", "1234567890123456789", "9007199254740993", "01",
            "-01", "-", "1.5", "1.0", "1e3", "1E3", "2e-1", "00", "12a", "[1]",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let expected: Int?? = (try? JSONValue.parse(bytes)).map { value in
                if case .number(let number) = value { number.int } else { nil }
            }
            var read: Int?
            do { try scan(bytes) { scanner in read = try scanner.int() } } catch { read = nil }
            #expect(read == expected.flatMap { $0 }, "\(text)")
        }
    }

    private func scan(_ bytes: [UInt8], _ body: (inout JSONScanner) throws -> Void) throws {
        try bytes.withUnsafeBufferPointer { buffer in try JSONScanner.scan(buffer, body) }
    }

    private func expectScanned(_ value: JSONValue, _ scanner: inout JSONScanner, reading: Bool) throws {
        switch value {
        case .object(let object):
            var members = object.members.makeIterator()
            try scanner.members { key, inner in
                guard let member = members.next() else { throw JSONError(.unknownMember, "the scanner met \(key.string) past the object's end") }
                #expect(key.string == member.key)
                // Every other member is left to the scanner to skip.
                if reading || member.key.count % 2 == 0 { try expectScanned(member.value, &inner, reading: reading) }
            }
            #expect(members.next() == nil)
        case .array(let elements):
            var iterator = elements.makeIterator()
            try scanner.elements { inner in
                guard let element = iterator.next() else { throw JSONError(.unknownMember, "the scanner met an element past the array's end") }
                try expectScanned(element, &inner, reading: reading)
            }
            #expect(iterator.next() == nil)
        case .string(let text):
            #expect(try scanner.null() == false)
            if text.count % 2 == 0 {
                #expect(try scanner.string() == text)
            } else {
                var read = ""
                try scanner.withString { read = String(decoding: $0, as: UTF8.self) }
                #expect(read == text)
            }
        case .null: #expect(try scanner.null())
        case .number(let number) where number.int != nil: #expect(try scanner.int() == number.int)
        default:
            #expect(throws: JSONError.self) { try scanner.string() }
            try scanner.skip()
        }
    }

    private func randomValue(depth: Int, using random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            let double = Double(bitPattern: random.next())
            return .number(JSONNumber(double.isFinite ? double : 0.5) ?? JSONNumber(0))
        case 3: return .number(JSONNumber(Int.random(in: -1_000_000...1_000_000, using: &random)))
        case 4: return .string(randomString(using: &random))
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                object[randomString(using: &random)] = randomValue(depth: depth + 1, using: &random)
            }
            return .object(object)
        }
    }

    private func randomString(using random: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] = ["a", "b", "\"", "\\", "\u{0}", "\u{1F}", "\u{7F}", "é", "\u{30A}", "\u{FB33}", "\u{1F602}", "医", "/"]
        var text = ""
        for _ in 0..<Int.random(in: 0...6, using: &random) { text.unicodeScalars.append(pool.randomElement(using: &random)!) }
        return text
    }
}
