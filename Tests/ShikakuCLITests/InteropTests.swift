import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuTestSupport
import Testing

/// An independent implementation — Python with `cryptography` and `rfc8785`, written from the specs in
/// `Tests/Interop/verify_credential.py` — verifies our credentials and status lists, trusting only the
/// registry key: the trust list it signs says which keys may sign credentials and status lists. The packages
/// go into a virtual environment under `.build/`; when they cannot be installed the test fails, it does not skip.
@Suite struct InteropTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("Tests/Interop/verify_credential.py").path

    /// The virtual environment's Python, made on first use.
    static let python: Result<String, InstallError> = {
        let venv = root.appendingPathComponent(".build/interop-venv").path
        let python = venv + "/bin/python"
        do {
            if !FileManager.default.fileExists(atPath: python) {
                let made = try Processes.run("python3", ["-m", "venv", "--system-site-packages", venv])
                guard made.status == 0 else { return .failure(InstallError(step: "python3 -m venv", result: made)) }
            }
            let probe = try Processes.run(python, ["-c", "import rfc8785, cryptography"])
            if probe.status != 0 {
                let installed = try Processes.run(python, ["-m", "pip", "install", "--quiet", "rfc8785", "cryptography"])
                guard installed.status == 0 else { return .failure(InstallError(step: "pip install rfc8785 cryptography", result: installed)) }
            }
            return .success(python)
        } catch {
            return .failure(InstallError(step: "running python3: \(error)", result: nil))
        }
    }()

    struct InstallError: Error, CustomStringConvertible {
        let step: String
        let result: ProcessResult?
        var description: String { "\(step) failed: \(result?.stderr ?? "")" }
    }

    struct Verdict: Decodable {
        struct Status: Decodable {
            let purpose: String
            let listProof: Bool
            let set: Bool
        }
        let proof: Bool
        let issuerTrusted: Bool
        let hash: String
        let status: [Status]
    }

    static func verify(_ credential: String, _ folder: String) throws -> Verdict {
        let result = try run(credential, folder)
        guard result.status == 0 else { throw InstallError(step: "verify_credential.py", result: result) }
        return try JSONDecoder().decode(Verdict.self, from: result.stdout)
    }

    static func run(_ credential: String, _ folder: String) throws -> ProcessResult {
        try Processes.run(try python.get(), [script, credential, folder])
    }

    @Test func pythonVerifiesOurCredentialsAndStatusLists() throws {
        let office = try CLIFixture()
        var files: [String: (path: String, hash: String)] = [:]
        for (index, name) in ["active", "revoked"].enumerated() {
            let id = try office.registerPhysician(CLIFixture.myNumber(80_000_000 + index))
            let path = office.folder.appendingPathComponent("\(name).json").path
            let exported = try office.run(["credential", id, "--out", path, "--json"])
            let hash = try #require((try JSONSerialization.jsonObject(with: exported.stdout) as? [String: Any])?["hash"] as? String)
            files[name] = (path, hash)
        }
        #expect(try office.run(["revoke", "physician:0000002", "--reason", "x"]).status == 0)
        let folder = office.folder.appendingPathComponent("public").path
        #expect(try office.run(["export", folder]).status == 0)

        for (name, file) in files {
            let verdict = try Self.verify(file.path, folder)
            #expect(verdict.proof, "\(name)")
            #expect(verdict.issuerTrusted, "\(name)")
            #expect(verdict.hash == file.hash, "\(name): the credential hash is SHA-256 of its RFC 8785 form")
            #expect(verdict.status.map(\.purpose) == ["revocation", "suspension"])
            #expect(verdict.status.allSatisfy { $0.listProof }, "\(name)")
            #expect(verdict.status.map(\.set) == [name == "revoked", false], "\(name)")
        }

        // And it is not a verifier that says yes to anything.
        let text = try String(contentsOfFile: try #require(files["active"]).path, encoding: .utf8)
        let tampered = try office.file("tampered.json", Data(text.replacingOccurrences(of: "山田 太郎", with: "山田 次郎").utf8))
        #expect(try Self.verify(tampered, folder).proof == false)
        try Self.refusesWhatTheTrustListDoesNotVouchFor(office, files["revoked"]!.path, active: text, folder: folder)
    }

    /// Signatures that verify under the key they name are not enough: a credential or a status list signed by
    /// a key the trust list does not give the authority is not trusted, and a trust list altered after the
    /// registry signed it stops the check.
    static func refusesWhatTheTrustListDoesNotVouchFor(
        _ office: CLIFixture, _ revoked: String, active: String, folder: String
    ) throws {
        let stranger = try Ed25519.PrivateKey()
        let forged = office.folder.appendingPathComponent("forged").path
        try FileManager.default.copyItem(atPath: folder, toPath: forged)
        // A clear revocation list, properly signed, but by the stranger: the revoked credential's list fails.
        let list = try StatusListCredential.signed(
            BitstringStatusList(), purpose: .revocation, number: 1,
            issuer: Issuer(authorityID: "mhlw", name: "厚生労働大臣", key: stranger),
            site: PublicationSite(baseURL: "https://test.example/shikaku"), at: .now())
        let listPath = forged + "/" + PublicationSite.statusListPath(authority: "mhlw", purpose: .revocation, list: 1)
        try Data(JSONValue.object(list).prettyPrinted().utf8).write(to: URL(fileURLWithPath: listPath))
        let cleared = try verify(revoked, forged)
        #expect(cleared.status.map(\.listProof) == [false, true], "a list is not trusted about itself")
        #expect(cleared.issuerTrusted)

        // The active credential re-signed by the stranger: its proof verifies, under a key nobody vouches for.
        var document = try #require(try JSONValue.parse(Array(active.utf8)).objectValue).removing("proof")
        document["issuer"] = ["id": .string(stranger.publicKey.didKey), "name": "厚生労働大臣"]
        let options = DataIntegrity.Options(
            created: Timestamp.now().iso, verificationMethod: stranger.publicKey.didKeyVerificationMethod)
        let signed = try DataIntegrity.sign(document, options: options, key: stranger)
        let resigned = try office.file("resigned.json", Data(JSONValue.object(signed).prettyPrinted().utf8))
        let impostor = try verify(resigned, folder)
        #expect(impostor.proof)
        #expect(!impostor.issuerTrusted)
        #expect(impostor.status.allSatisfy { !$0.listProof })

        // A trust list changed after signing is refused outright.
        let trustPath = forged + "/trust-list.json"
        let trust = try String(contentsOfFile: trustPath, encoding: .utf8)
        try Data(trust.replacingOccurrences(of: "\"care-manager\"", with: "\"physician\"").utf8).write(
            to: URL(fileURLWithPath: trustPath))
        let refused = try run(revoked, forged)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not signed by the registry's key"), "\(refused.stderr)")
    }
}
