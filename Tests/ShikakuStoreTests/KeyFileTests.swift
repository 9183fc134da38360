import Foundation
import ShikakuCrypto
import ShikakuStore
import ShikakuTestSupport
import Testing

@Suite struct KeyFileTests {
    let files = PosixFileSystem()
    let passphrase = SecretBytes(copying: Array("registry passphrase".utf8))

    @Test func writesKeysOwnerOnlyAndReadsThemBack() throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("log.key").path
        let key = try Ed25519.PrivateKey()
        try KeyFile.writeKey(key, to: path, passphrase: passphrase, in: files)
        #expect(try files.status(path)?.permissions == 0o600)
        #expect(try KeyFile.readKey(path, passphrase: passphrase, in: files).publicKey == key.publicKey)
        let opened = try Processes.run("openssl", ["pkey", "-in", path, "-passin", "pass:registry passphrase", "-noout"])
        #expect(opened.status == 0)
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("log.key").path
        try KeyFile.writeKey(try Ed25519.PrivateKey(), to: path, passphrase: passphrase, in: files)
        for mode in [0o644, 0o640, 0o604, 0o660] {
            chmod(path, mode_t(mode))
            let error = #expect(throws: StoreError(.keyFilePermissions, "")) {
                try KeyFile.readKey(path, passphrase: passphrase, in: files)
            }
            #expect(error?.message.contains("chmod 600") == true)
        }
        chmod(path, 0o400)
        #expect(throws: Never.self) { try KeyFile.readKey(path, passphrase: passphrase, in: files) }
    }

    @Test func sealsSecretsUnderThePassphrase() throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("holder.secret").path
        let secret = try SecureRandom.secret(count: 32)
        try KeyFile.writeSecret(secret, to: path, passphrase: passphrase, in: files)
        #expect(try files.status(path)?.permissions == 0o600)
        #expect(try KeyFile.readSecret(path, passphrase: passphrase, in: files).constantTimeEquals(secret))
        #expect(throws: CryptoError(.wrongPassphrase, "")) {
            try KeyFile.readSecret(path, passphrase: SecretBytes(copying: Array("wrong".utf8)), in: files)
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 5] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        #expect(throws: (any Error).self) { try KeyFile.readSecret(path, passphrase: passphrase, in: files) }
    }

    @Test func aMissingKeyFileIsNamed() throws {
        let error = #expect(throws: StoreError(.missing, "")) {
            try KeyFile.readKey("/nonexistent/shikaku/key.pem", passphrase: passphrase, in: files)
        }
        #expect(error?.path == "/nonexistent/shikaku/key.pem")
    }
}
