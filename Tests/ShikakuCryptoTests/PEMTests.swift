import Foundation
import ShikakuCrypto
import ShikakuTestSupport
import Testing

/// Encrypted PKCS#8 and SPKI PEM, checked against the `openssl` command in both directions.
@Suite struct PEMTests {
    static let passphrase = "correct horse battery staple"

    static func secret(_ text: String = passphrase) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    @Test func roundTripsAnEncryptedKey() throws {
        let key = try Ed25519.PrivateKey()
        let pem = try key.encryptedPEM(passphrase: Self.secret())
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        let opened = try Ed25519.PrivateKey(encryptedPEM: pem, passphrase: Self.secret())
        #expect(opened.publicKey == key.publicKey)
        #expect(try Ed25519.PublicKey(pem: key.publicKey.pem) == key.publicKey)
    }

    @Test func refusesAWrongPassphrase() throws {
        let pem = try Ed25519.PrivateKey().encryptedPEM(passphrase: Self.secret())
        let error = #expect(throws: CryptoError(.wrongPassphrase, "")) {
            try Ed25519.PrivateKey(encryptedPEM: pem, passphrase: Self.secret("wrong"))
        }
        #expect(error?.message.contains("passphrase") == true)
        #expect(throws: CryptoError(.wrongPassphrase, "")) { try Ed25519.PrivateKey(encryptedPEM: pem, passphrase: Self.secret("")) }
    }

    @Test func refusesTruncatedOrDamagedPEM() throws {
        let pem = try Ed25519.PrivateKey().encryptedPEM(passphrase: Self.secret())
        let lines = pem.split(separator: "\n", omittingEmptySubsequences: false)
        let truncatedBody = (lines.prefix(2) + [lines.last!]).joined(separator: "\n")
        for damaged in [String(pem.prefix(pem.count / 2)), String(pem.dropLast(30)), "hello", "", truncatedBody] {
            #expect(throws: CryptoError(.malformedPEM, "")) { try Ed25519.PrivateKey(encryptedPEM: damaged, passphrase: Self.secret()) }
        }
        #expect(throws: CryptoError(.malformedPEM, "")) { try Ed25519.PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
    }

    @Test func refusesOtherKeyTypes() throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passFile = folder.appendingPathComponent("pass")
        try Data(Self.passphrase.utf8).write(to: passFile)
        for algorithm in [["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], ["-algorithm", "ED448"]] {
            let keyFile = folder.appendingPathComponent("key.pem")
            let made = try Processes.run(
                "openssl", ["genpkey"] + algorithm + ["-aes-256-cbc", "-pass", "file:\(passFile.path)", "-out", keyFile.path])
            #expect(made.status == 0, "\(made.stderr)")
            let pem = try String(contentsOf: keyFile, encoding: .utf8)
            #expect(throws: CryptoError(.notEd25519, "")) { try Ed25519.PrivateKey(encryptedPEM: pem, passphrase: Self.secret()) }
            let pub = try Processes.run("openssl", ["pkey", "-in", keyFile.path, "-passin", "file:\(passFile.path)", "-pubout"])
            #expect(throws: CryptoError(.notEd25519, "")) { try Ed25519.PublicKey(pem: pub.output) }
        }
    }

    @Test func refusesUnencryptedKeys() throws {
        let made = try Processes.run("openssl", ["genpkey", "-algorithm", "ed25519"])
        #expect(made.output.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(throws: CryptoError(.unencryptedPrivateKey, "")) {
            try Ed25519.PrivateKey(encryptedPEM: made.output, passphrase: Self.secret())
        }
    }

    /// Our PEM opens with `openssl pkey`, and our signature verifies with `openssl pkeyutl -verify -rawin`.
    @Test func opensslReadsOurKeysAndSignatures() throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = try Ed25519.PrivateKey()
        let files = (key: folder.appendingPathComponent("key.pem"), pass: folder.appendingPathComponent("pass"),
            message: folder.appendingPathComponent("message"), signature: folder.appendingPathComponent("signature"),
            pub: folder.appendingPathComponent("pub.pem"))
        try Data(key.encryptedPEM(passphrase: Self.secret()).utf8).write(to: files.key)
        try Data(Self.passphrase.utf8).write(to: files.pass)
        let message = Array("登録番号 physician:0000001".utf8)
        try Data(message).write(to: files.message)
        try Data(key.signature(for: message)).write(to: files.signature)
        try Data(key.publicKey.pem.utf8).write(to: files.pub)

        let pubout = try Processes.run("openssl", ["pkey", "-in", files.key.path, "-passin", "file:\(files.pass.path)", "-pubout"])
        #expect(pubout.status == 0, "\(pubout.stderr)")
        #expect(pubout.output == key.publicKey.pem)
        let verify = try Processes.run(
            "openssl",
            ["pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", files.pub.path, "-in", files.message.path, "-sigfile", files.signature.path])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.output.contains("Signature Verified Successfully"))
    }

    /// A key and a signature made by `openssl` work in our code.
    @Test func weReadOpensslKeysAndSignatures() throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("key.pem")
        let passFile = folder.appendingPathComponent("pass")
        let messageFile = folder.appendingPathComponent("message")
        try Data(Self.passphrase.utf8).write(to: passFile)
        try Data("hello from openssl".utf8).write(to: messageFile)
        #expect(try Processes.run("openssl", ["genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "file:\(passFile.path)", "-out", keyFile.path]).status == 0)
        let signature = try Processes.run(
            "openssl", ["pkeyutl", "-sign", "-rawin", "-inkey", keyFile.path, "-passin", "file:\(passFile.path)", "-in", messageFile.path])
        #expect(signature.status == 0, "\(signature.stderr)")
        let key = try Ed25519.PrivateKey(encryptedPEM: String(contentsOf: keyFile, encoding: .utf8), passphrase: Self.secret())
        #expect(key.publicKey.isValidSignature(Array(signature.stdout), for: Array("hello from openssl".utf8)))
        #expect(try key.signature(for: Array("hello from openssl".utf8)) == Array(signature.stdout))
    }
}
