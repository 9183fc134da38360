import Foundation
import ShikakuCrypto
import ShikakuTestSupport
import Testing

@testable import ShikakuStore

/// C2SP signed-note and tlog-checkpoint against Go's sumdb/note vectors, the C2SP examples, a 15-leaf
/// test log and real sum.golang.org checkpoints.
@Suite(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
struct SignedNoteTests {
    static func vectors() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Vectors.data("signed-note/vectors.json")) as? [String: Any])
    }

    static func note(_ name: String) throws -> SignedNote {
        try SignedNote(parsing: Array(Vectors.data("signed-note/\(name)")))
    }

    static let peter = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let enoch = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

    @Test func verifiesGoNotesAndIgnoresUnknownKeys() throws {
        let peter = try NoteVerifier(vkey: Self.peter)
        let enoch = try NoteVerifier(vkey: Self.enoch)
        #expect(try Self.note("peterneumann.note").verify(with: [peter]) == [peter])
        let both = try Self.note("peterneumann-enochroot.note")
        #expect(try both.verify(with: [peter]) == [peter])
        #expect(try both.verify(with: [peter, enoch]) == [peter, enoch])
        #expect(throws: StoreError(.unverifiedNote, "")) { try both.verify(with: []) }
        #expect(peter.vkey == Self.peter)
    }

    /// Signing with Go's published test key reproduces its signature byte for byte.
    @Test func signsAsGoDoes() throws {
        let privateText = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
        let seed = try Base64.decode(String(privateText.split(separator: "+", maxSplits: 4)[4])).dropFirst()
        let signer = try NoteSigner(name: "PeterNeumann", key: Ed25519.PrivateKey(seed: SecretBytes(copying: Array(seed))))
        #expect(signer.verifier.vkey == Self.peter)
        let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
        let note = try SignedNote.sign(text, with: [signer])
        #expect(note.serialized == Array(try Vectors.data("signed-note/peterneumann.note")))
        #expect(Base64.encode(NoteKey.bytes(of: note.signatures[0].keyID) + note.signatures[0].signature)
            == "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")
    }

    @Test func verifiesTheC2SPExampleAndParsesQuasimodo() throws {
        let foo = try NoteVerifier(vkey: "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        #expect(try Self.note("c2sp-example-foo.note").verify(with: [foo]) == [foo])
        let quasimodo = try Self.note("c2sp-quasimodo.note")
        #expect(quasimodo.text.contains("\n\n"))
        #expect(!quasimodo.signatures.isEmpty)
    }

    @Test func rejectsMalformedNotes() throws {
        let cases = try #require(((try Self.vectors()["malformedNotes"] as? [String: Any])?["cases"] as? [[String: Any]]))
        #expect(cases.count == 6)
        for entry in cases {
            let text = try #require(entry["noteUtf8"] as? String)
            #expect(throws: StoreError(.malformedNote, ""), "\(entry["desc"] ?? "")") { try SignedNote(parsing: Array(text.utf8)) }
        }
    }

    @Test func rejectsBadVerifierKeys() throws {
        let cases = try #require(((try Self.vectors()["badVerifierKeys"] as? [String: Any])?["cases"] as? [String]))
        for key in cases + ["PeterNeumann+c74f20a3", "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"] {
            #expect(throws: StoreError(.malformedNote, "")) { try NoteVerifier(vkey: key) }
        }
    }

    @Test func anAlteredNoteFails() throws {
        var bytes = Array(try Vectors.data("signed-note/peterneumann.note"))
        bytes[3] ^= 0x20
        let note = try SignedNote(parsing: bytes)
        #expect(throws: StoreError(.unverifiedNote, "")) { try note.verify(with: [NoteVerifier(vkey: Self.peter)]) }
    }
}

@Suite(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
struct CheckpointVectorTests {
    /// The words "one" … "fifteen" as leaves give the test log's roots, and its checkpoints verify.
    @Test func theFifteenLeafTestLog() throws {
        let words = String(decoding: try Vectors.data("tlog-checkpoint/testlog-one-to-fifteen/leaves.txt"), as: UTF8.self)
            .split(separator: "\n").map { Array($0.utf8) }
        #expect(words.count == 15)
        let tree = try MemoryTree(leaves: words)
        let vkey = String(decoding: try Vectors.data("tlog-checkpoint/testlog-one-to-fifteen/vkey.txt"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let verifier = try NoteVerifier(vkey: vkey)
        var roots: [UInt64: SHA256.Digest] = [:]
        for size in 8...15 {
            let note = try SignedNote(parsing: Array(Vectors.data("tlog-checkpoint/testlog-one-to-fifteen/checkpoint.\(size)")))
            #expect(try note.verify(with: [verifier]) == [verifier])
            let checkpoint = try Checkpoint(text: note.text)
            #expect(checkpoint.origin == "example.com/log/testdata")
            #expect(checkpoint.size == UInt64(size))
            #expect(try tree.hashes.root(size: UInt64(size)) == checkpoint.root)
            #expect(checkpoint.text == note.text)
            roots[UInt64(size)] = checkpoint.root
        }
        for old in 8...15 {
            for new in old...15 {
                let proof = try tree.hashes.consistencyProof(from: UInt64(old), to: UInt64(new))
                #expect(Merkle.verifyConsistency(oldSize: UInt64(old), newSize: UInt64(new), oldRoot: roots[UInt64(old)]!, newRoot: roots[UInt64(new)]!, proof: proof))
            }
        }
    }

    /// Real sum.golang.org checkpoints with Go's published key; witness lines by unknown keys are ignored.
    @Test func sumGolangOrgCheckpoints() throws {
        let folder = try Vectors.url("tlog-checkpoint/sum.golang.org")
        let vkey = try String(contentsOf: folder.appendingPathComponent("vkey.txt"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let verifier = try NoteVerifier(vkey: vkey)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("checkpoint.") }
        #expect(files.count == 6)
        for name in files {
            let note = try SignedNote(parsing: Array(Data(contentsOf: folder.appendingPathComponent(name))))
            #expect(try note.verify(with: [verifier]) == [verifier], "\(name)")
            let checkpoint = try Checkpoint(text: note.text)
            #expect(checkpoint.origin == "go.sum database tree")
            #expect("checkpoint.\(checkpoint.size)" == name)
        }
    }

    @Test func parsesTheSpecExampleAndRejectsBadCheckpoints() throws {
        let sofa = try SignedNote(parsing: Array(Vectors.data("tlog-checkpoint/c2sp-spec/behind-the-sofa.checkpoint")))
        _ = try Checkpoint(text: sofa.text)
        let root = Base64.encode(SHA256.hash("x").bytes)
        for text in ["origin\n012\n\(root)\n", "origin\n12\n\(root)", "origin\n-1\n\(root)\n", "origin\n12\nAAAA\n", "\n12\n\(root)\n",
            "origin\n12\n", "origin\n12\n\(root)\n\nextension\n"]
        {
            #expect(throws: StoreError(.malformedNote, ""), "\(text)") { try Checkpoint(text: text) }
        }
        let good = try Checkpoint(text: "origin\n12\n\(root)\nextension one\n")
        #expect(good.extensions == ["extension one"])
    }
}
