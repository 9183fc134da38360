import ShikakuCrypto
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// `log/checkpoints` lines are taken only in their one form: a line in any other is damage, which a good
/// line after it shows up.
@Suite struct CheckpointHistoryTests {
    static let root = Base64.encode([UInt8](repeating: 0x11, count: 32))

    static func history(_ lines: [String]) -> CheckpointHistory {
        let files = SimulatedFileSystem(files: ["/log/checkpoints": Array(lines.map { $0 + "\n" }.joined().utf8)], directories: ["/log"])
        return CheckpointHistory(files: files, path: "/log/checkpoints")
    }

    @Test func wellFormedLinesAreRead() throws {
        let read = try Self.history(["0 \(Self.root)", "5 \(Self.root)", "18446744073709551615 \(Self.root)"]).recent
        #expect(read.entries.map(\.size) == [0, 5, UInt64.max])
        #expect(read.entries.allSatisfy { $0.root.bytes == [UInt8](repeating: 0x11, count: 32) })
        #expect(!read.torn)
    }

    static let otherForms: [String] = {
        let base64 = String(root.dropLast(2))
        return [
            "05 \(root)", "+5 \(root)", "-5 \(root)", "18446744073709551616 \(root)", "5  \(root)", "5 \(root) ", " 5 \(root)", "5",
            "5 \(base64)F=", "5 \(root.dropLast())", "5 \(root.dropLast(4))", "5 " + root.replacingOccurrences(of: "R", with: "*"),
        ]
    }()

    @Test(arguments: otherForms)
    func aLineInAnyOtherFormIsDamage(_ line: String) {
        let error = #expect(throws: StoreError.self) { try Self.history(["3 \(Self.root)", line, "7 \(Self.root)"]).recent }
        #expect(error?.code == .damaged && error?.offset == Int64(2 + Self.root.utf8.count + 1), "\(line)")
    }
}
