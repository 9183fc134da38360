import Foundation
import ShikakuTestSupport
import Testing

/// The tests that read `../shared/vectors` skip when it is missing on a developer's machine, but fail under CI
/// (`.ci/run` sets `CI=true`), so that CI never passes by skipping them.
@Suite struct VectorsFolderTests {
    @Test func missingVectorsSkipLocallyAndFailUnderCI() {
        let folder = URL(fileURLWithPath: "/somewhere/vectors", isDirectory: true)
        #expect(Vectors.shouldRun(root: folder, environment: [:]))
        #expect(Vectors.shouldRun(root: folder, environment: ["CI": "true"]))
        #expect(!Vectors.shouldRun(root: nil, environment: [:]))
        #expect(!Vectors.shouldRun(root: nil, environment: ["CI": "false"]))
        #expect(!Vectors.shouldRun(root: nil, environment: ["CI": ""]))
        #expect(Vectors.shouldRun(root: nil, environment: ["CI": "true"]))
        #expect(Vectors.shouldRun(root: nil, environment: ["CI": "1"]))
        // Running without the folder, a test's first read throws, and the test fails.
        #expect(throws: VectorsMissing.self) { try Vectors.url("ed25519-rfc8032/rfc8032-section7.1-ed25519.json", in: nil) }
    }
}
