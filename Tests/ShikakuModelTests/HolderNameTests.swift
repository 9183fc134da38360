import Testing

@testable import ShikakuModel

/// Names are checked for control characters on every record read back, by code point rather than through
/// Unicode's tables: the two must agree on every scalar.
@Suite struct HolderNameTests {
    @Test func controlCharactersAreExactlyUnicodesCc() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if Holder.isControl(scalar) != (scalar.properties.generalCategory == .control) { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func aNameWithAControlCharacterIsRefused() {
        for name in ["山田\u{7}花子", "山田\u{85}花子", "山田\u{2028}花子", " 山田", "山田 "] {
            #expect(throws: ModelError.self, "\(name.unicodeScalars.map(\.value))") { try Holder.checkName(name, field: "name") }
        }
        #expect(throws: Never.self) { try Holder.checkName("山田 花子", field: "name") }
    }
}
