import Foundation
import ShikakuTestSupport
import Testing

/// The clerk's and the employer's commands end to end through the built binary, on a fresh registry.
@Suite struct OfficeCommandTests {
    @Test func aRegistrationLivesAndIsVerifiedThroughItsLife() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        #expect(id == "physician:0000001")

        let shown = try office.run(["show", id])
        #expect(shown.status == 0)
        #expect(shown.output.contains("山田 太郎"))
        #expect(shown.output.contains("平成31年4月20日"))
        #expect(!shown.output.contains("100000000021"))

        let credential = office.folder.appendingPathComponent("physician.json").path
        let exported = try office.run(["credential", id, "--out", credential])
        #expect(exported.status == 0, "\(exported.stderr)")
        let hash = try #require(exported.output.split(separator: "\n").first { $0.contains("sha256:") }?.split(separator: " ").last)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: credential))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("100000000021"))
        // A file is replaced through a copy beside it, which does not stay, and keeps its permissions; a pipe
        // is written to as it is.
        #expect(!FileManager.default.fileExists(atPath: credential + ".new"))
        chmod(credential, 0o600)
        #expect(try office.run(["credential", id, "--out", credential]).status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: credential)[.posixPermissions] as? Int) == 0o600)
        // Through a symbolic link, the file it names is written and the link stays.
        let link = office.folder.appendingPathComponent("link.json").path
        let target = office.folder.appendingPathComponent("target.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try office.run(["credential", id, "--out", link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        // Into a folder that is not there: the error names the file asked for, before anything is done.
        let nowhere = office.folder.appendingPathComponent("no-such-folder/credential.json").path
        let failed = try office.run(["credential", id, "--out", nowhere])
        #expect(failed.status == 2 && failed.stderr.contains("--out \(nowhere): the folder") && !failed.stderr.contains(".new"), "\(failed.stderr)")
        let piped = try office.run(["credential", id, "--out", "/dev/stdout"])
        #expect(piped.status == 0 && piped.stdout.starts(with: bytes), "\(piped.stderr)")
        #expect(try office.run(["verify", credential]).status == 0)
        #expect(try office.run(["verify", "--hash", String(hash)]).output.hasPrefix("VALID"))

        #expect(try office.run(["amend", id, "--addition", "clinical-training", "--date", "2021-04-30"]).status == 0)
        // The amendment issued a new credential: the old one is superseded.
        let stale = try office.run(["verify", credential])
        #expect(stale.status == 1)
        #expect(stale.output.contains("SUPERSEDED"))

        let suspended = try office.run(["suspend", id, "--from", "2099-01-10", "--until", "2099-06-30", "--reason", "医道審議会の答申"])
        #expect(suspended.status == 0, "\(suspended.stderr)")
        #expect(try office.run(["reinstate", id, "--reason", "処分の取消し"]).status == 0)
        #expect(try office.run(["revoke", id, "--reason", "信用失墜行為"]).status == 0)
        let current = office.folder.appendingPathComponent("revoked.json").path
        #expect(try office.run(["credential", id, "--out", current]).status == 0)
        let revoked = try office.run(["verify", current])
        #expect(revoked.status == 1)
        #expect(revoked.output.contains("REVOKED"))

        let history = try office.run(["history", id, "--json"])
        #expect(history.status == 0)
        let events = try #require(try JSONSerialization.jsonObject(with: history.stdout) as? [[String: Any]])
        #expect(events.compactMap { ($0["event"] as? [String: Any])?["kind"] as? String } == ["register", "record-addition", "dispose", "reinstate", "dispose"])

        // A registry this small has no index files yet: the audit says why it checked no index entries.
        let audit = try office.run(["audit"])
        #expect(audit.status == 0 && audit.output.contains("the index files cover 0 of the 7 records; each open replays the rest"), "\(audit.output)")
        #expect(try office.run(["log", "checkpoint"]).status == 0)
        let proof = office.folder.appendingPathComponent("proof").path
        #expect(try office.run(["log", "prove", id, "--out", proof]).status == 0)
        #expect(try office.run(["log", "consistency", "2", "6"]).status == 0)
        // Size 1 (inside the batch that made the registry) was never signed: the proof holds, and says so.
        let unsignedStart = try office.run(["log", "consistency", "1", "6"])
        #expect(unsignedStart.output.contains("no checkpoint was signed at size 1"), "\(unsignedStart.output)")
        let consistency = try JSONSerialization.jsonObject(with: try office.run(["log", "consistency", "1", "6", "--json"]).stdout) as? [String: Any]
        #expect((consistency?["old"] as? [String: Any])?["signed"] as? Bool == false)
        #expect((consistency?["new"] as? [String: Any])?["signed"] as? Bool == true)
        let public_ = office.folder.appendingPathComponent("public").path
        #expect(try office.run(["export", public_]).status == 0)
        #expect(try office.run(["verify", current, "--trust", public_]).status == 1)
        #expect(try office.run(["index", "rebuild"]).status == 0)
        let rebuilt = try office.run(["audit", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: rebuilt.stdout) as? [String: Any])
        #expect(report["indexedRecords"] as? Int == report["records"] as? Int && (report["indexEntries"] as? Int ?? 0) > 0, "\(report)")
        #expect(try office.run(["keys", "list"]).status == 0)
        // An index that cannot be opened is a problem, and then the audit does not say what it covers.
        let manifest = office.folder.appendingPathComponent("registry/index/manifest")
        try Data("damaged\n".utf8).write(to: manifest)
        let damaged = try office.run(["audit", "--json"])
        let problems = try #require(try JSONSerialization.jsonObject(with: damaged.stdout) as? [String: Any])
        #expect(damaged.status == 1 && problems["indexedRecords"] is NSNull, "\(problems)")
        let text = try office.run(["audit"])
        #expect(text.status == 1 && text.output.contains("registry/index") && !text.output.contains("index files cover"), "\(text.output)")
    }

    @Test func findListsAHoldersRegistrationsByMyNumberWithoutShowingIt() throws {
        let office = try CLIFixture()
        try office.registerPhysician("100000000021")
        try office.registerPhysician("100000000030", name: "鈴木 一郎")
        let found = try office.run(["find", "--my-number-stdin"], input: "100000000021\n")
        #expect(found.status == 0)
        #expect(found.output.contains("physician:0000001"))
        #expect(!found.output.contains("physician:0000002"))
        #expect(!found.output.contains("100000000021") && !found.stderr.contains("100000000021"))
        // Nothing of the number is on disk either.
        for (_, bytes) in try office.contents() {
            #expect(bytes.range(of: Data("100000000021".utf8)) == nil)
        }
    }

    @Test func keyRotationKeepsEarlierCredentialsValid() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let before = office.folder.appendingPathComponent("before.json").path
        #expect(try office.run(["credential", id, "--out", before]).status == 0)
        let rotated = try office.run(["keys", "rotate", "--as", "mhlw"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        try office.registerPhysician("100000000030", name: "鈴木 一郎")
        let after = office.folder.appendingPathComponent("after.json").path
        #expect(try office.run(["credential", "physician:0000002", "--out", after]).status == 0)
        #expect(try office.run(["verify", before, after]).status == 0)
        // Offline too: the status lists, now signed by the new key, are checked against its window.
        let folder = office.folder.appendingPathComponent("public").path
        #expect(try office.run(["export", folder]).status == 0)
        let offline = try office.run(["verify", before, after, "--trust", folder])
        #expect(offline.status == 0, "\(offline.output)")
        let issuers = try [before, after].map { String(decoding: try Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self) }
            .map { $0.components(separatedBy: "did:key:")[1].prefix(48) }
        #expect(issuers[0] != issuers[1])
    }

    /// A missing stored-hash file (derived, so left out of a backup) is named by readers and by the audit, and
    /// the rebuild remakes it.
    @Test func aMissingHashFileIsNamedAndRemade() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let hashes = URL(fileURLWithPath: office.registry).appendingPathComponent("log/hashes").path
        try FileManager.default.removeItem(atPath: hashes)
        let shown = try office.run(["show", id])
        #expect(shown.status == 5 && shown.stderr.contains("index rebuild"), "\(shown.stderr)")
        let audit = try office.run(["audit"])
        #expect(audit.status == 1 && audit.output.contains("log/hashes at byte 0: the stored hashes cannot be read"), "\(audit.output)")
        #expect(try office.run(["index", "rebuild"]).status == 0)
        #expect(try office.run(["show", id]).status == 0)
        #expect(try office.run(["audit"]).status == 0)
    }

    /// A correction of a revoked licence would issue a credential that verifies: it is refused until the
    /// licence is granted again.
    @Test func aRevokedLicenceIsNotAmended() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        #expect(try office.run(["revoke", id, "--reason", "罰金以上の刑"]).status == 0)
        let before = try office.contents()
        let amended = try office.run(["amend", id, "--name", "山田 一郎"])
        #expect(amended.status == 4, "\(amended.stderr)")
        #expect(amended.stderr.contains("revoked since"), "\(amended.stderr)")
        #expect(try office.contents() == before)
    }

    /// Each kind of bad input: its documented exit code, a message that says what was wrong, and nothing written.
    @Test(arguments: [
        (["frobnicate"], 2, "not a shikaku command"),
        (["register", "physician", "--colour", "red"], 2, "--colour"),
        (["register", "physician", "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--sex", "male", "--my-number-stdin"], 2, "--name"),
        (["register", "physician", "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--birth-date", "1992-02-30", "--sex", "male",
          "--exam", "医師国家試験@2019-02-10", "--my-number-stdin"], 3, "1992-02-30"),
        (["register", "astronaut", "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--my-number-stdin"], 3, "astronaut"),
        (["register", "public-health-nurse", "--name", "佐藤 花子", "--kana", "サトウ ハナコ", "--birth-date", "1994-06-12", "--sex", "female",
          "--exam", "保健師国家試験@2018-02-18", "--date", "2018-04-01", "--my-number-stdin"], 4, "看護師"),
        (["register", "physician", "--as", "tokyo", "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--sex", "male",
          "--exam", "医師国家試験@2019-02-10", "--my-number-stdin"], 4, "東京都知事 does not register"),
        (["register", "certified-care-worker", "--name", "伊藤 美咲", "--kana", "イトウ ミサキ", "--birth-date", "1990-08-08", "--sex", "female",
          "--exam", "介護福祉士国家試験@2015-01-25", "--date", "2015-04-01", "--my-number-stdin"], 3, "does not record 性別"),
        (["show", "physician:7654321"], 3, "physician:7654321"),
        (["reinstate", "physician:0000001", "--reason", "x"], 4, "no suspension"),
        (["suspend", "physician:0000001", "--from", "2026-01-10", "--until", "2029-06-30", "--reason", "x", "--date", "2026-01-10"], 4, "3"),
        (["suspend", "physician:0000001", "--from", "2026-01-10", "--until", "2026-06-30", "--reason", "x", "--date", "2026-02-01"], 3,
         "starts on or after the day it is decided"),
        (["register", "physician", "--name", "山田 次郎", "--kana", "ヤマダ ジロウ", "--birth-date", "1992-11-03", "--sex", "male",
          "--exam", "医師国家試験@2019-02-10", "--date", "2099-04-01", "--my-number-stdin"], 3, "after today"),
        (["register", "physician", "--name", "山田 次郎", "--kana", "ヤマダ ジロウ", "--birth-date", "1992-11-03", "--sex", "male",
          "--exam", "医師国家試験@1990-02-10", "--date", "2019-04-01", "--my-number-stdin"], 3, "is not before the evidence"),
        (["amend", "physician:0000001", "--name", "山田 太郎"], 3, "changes nothing"),
        (["amend", "physician:0000001", "--keep-former-surname"], 2, "--keep-former-surname needs --name"),
        (["amend", "physician:0000001", "--addition", "clinical-training", "--name", "山田 一郎"], 2, "cannot be given together"),
        (["amend", "physician:0000001", "--former-surname", "山田", "--drop-former-surname", "--name", "佐藤 太郎"], 2, "cannot be given together"),
        (["verify", "--hash", "sha256:00", "credential.json"], 2, "--hash is checked on its own"),
        (["verify", "credential.json", "--vkey", "k"], 2, "--vkey needs --trust"),
        (["report", "physician:0000001", "--year", "2024", "--workplace", "osaka", "--not-practising"], 3, "has no workplace to name"),
        (["log", "consistency", "3", "2"], 2, "must satisfy 0 < OLD ≤ NEW"),
        (["amend", "physician:0000001", "--name", "山田 一郎", "--out", "nowhere/yamada.json"], 2, "the folder nowhere does not exist"),
        (["keys", "rotate", "--as", "osaka"], 3, "the registry has no authority \"osaka\""),
        (["log", "prove", "sha256:xyz"], 2, "is not a credential hash"),
    ] as [([String], Int32, String)])
    func badInputIsRefusedWithItsExitCodeAndNothingWritten(arguments: [String], status: Int32, mention: String) throws {
        let office = try CLIFixture()
        try office.registerPhysician()
        let before = try office.contents()
        let result = try office.run(arguments, input: "100000000048\n")
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(!result.stderr.contains("100000000048"))
        #expect(try office.contents() == before)
    }

    @Test(arguments: ["100000000012", "10000000002", "1000000000２１", ""])
    func anInvalidMyNumberIsRefused(number: String) throws {
        let office = try CLIFixture()
        let before = try office.contents()
        let result = try office.run(
            ["register", "physician", "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--sex", "male",
             "--exam", "医師国家試験@2019-02-10", "--my-number-stdin"], input: number + "\n")
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("My Number"))
        #expect(number.isEmpty || !result.stderr.contains(number))
        #expect(try office.contents() == before)
    }

    @Test func aWrongPassphraseIsBadInput() throws {
        let office = try CLIFixture()
        let wrong = try office.file("wrong", Data("not the passphrase\n".utf8))
        chmod(wrong, 0o600)
        let before = try office.contents()
        let result = try office.run(
            ["register", "physician", "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--sex", "male",
             "--exam", "医師国家試験@2019-02-10", "--my-number-stdin"],
            input: "100000000021\n", environment: ["SHIKAKU_PASSPHRASE_FILE": wrong])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("passphrase"))
        #expect(try office.contents() == before)
    }

    @Test func aLockedRegistryIsAStorageFailureAfterTheTimeout() throws {
        let office = try CLIFixture()
        let lock = office.registry + "/LOCK"
        // Another writer: flock(1) holds the lock while this test runs the command.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [lock, "sleep", "5"]
        try holder.run()
        defer { holder.terminate() }
        Thread.sleep(forTimeInterval: 0.3)
        let before = try office.contents()
        let started = Date()
        let result = try office.run(
            ["register", "physician", "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--sex", "male",
             "--exam", "医師国家試験@2019-02-10", "--my-number-stdin"], input: "100000000021\n")
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("lock"))
        #expect(Date().timeIntervalSince(started) >= 0.5)
        #expect(try office.contents() == before, "a writer that never got the lock wrote nothing")
        // Readers need no lock.
        #expect(try office.run(["log", "checkpoint"]).status == 0)
    }
}

/// The JSON-LD context published in `Registry/contexts/` defines every term our credentials' subjects use.
@Suite struct ContextTests {
    static let context = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Registry/contexts/credentials-v1.jsonld")

    /// The terms a scoped context defines, by the type it is scoped to.
    static func terms() throws -> [String: Set<String>] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: context)) as? [String: Any])
        let top = try #require(document["@context"] as? [String: Any])
        var result: [String: Set<String>] = [:]
        func collect(_ name: String, _ definition: Any?) {
            guard let scoped = (definition as? [String: Any])?["@context"] as? [String: Any] else { return }
            result[name] = Set(scoped.keys.filter { !$0.hasPrefix("@") })
            for (term, inner) in scoped { collect(term, inner) }
        }
        for (name, definition) in top { collect(name, definition) }
        return result
    }

    /// The trust list is a VC 2.0 credential like the others: VC terms at the top, and its entries in a
    /// typed credentialSubject whose every term, and every type, the context defines.
    @Test func definesEveryTermOfTheTrustList() throws {
        let terms = try Self.terms()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.context)) as? [String: Any])
        let types = Set(try #require(document["@context"] as? [String: Any]).keys)
        let folder = try VerifyCommandTests.office.get().trust
        let list = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/trust-list.json"))) as? [String: Any])
        #expect(list["@context"] as? [String] == ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/shikaku/credentials/v1"])
        #expect(list["type"] as? [String] == ["VerifiableCredential", "ShikakuTrustList"])
        #expect(types.contains("ShikakuTrustList"))
        // What VC 2.0's context defines for a VerifiableCredential.
        let credentialTerms: Set = ["@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialSubject", "proof"]
        #expect(Set(list.keys).isSubset(of: credentialTerms), "\(list.keys.sorted())")
        let subject = try #require(list["credentialSubject"] as? [String: Any])
        let authorities = try #require(subject["authorities"] as? [[String: Any]])
        let keys = try #require(authorities.first?["keys"] as? [[String: Any]])
        #expect(!authorities.isEmpty && !keys.isEmpty)
        for (object, scope) in [(subject, subject["type"] as? String)] + authorities.map({ ($0, $0["type"] as? String) }) {
            let scope = try #require(scope, "every node of the subject has a type")
            #expect(types.contains(scope), "\(scope) is not defined in the context")
            for key in object.keys where key != "type" {
                #expect(terms[scope]?.contains(key) == true, "\(scope).\(key) is not defined in the context")
            }
        }
        for key in keys.flatMap(\.keys) where key != "id" {
            #expect(terms["keys"]?.contains(key) == true, "keys.\(key) is not defined in the context")
        }
    }

    @Test func definesEveryTermOfTheSubject() throws {
        let terms = try Self.terms()
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        #expect(try office.run(["amend", id, "--addition", "clinical-training", "--date", "2021-04-30"]).status == 0)
        let file = office.folder.appendingPathComponent("c.json").path
        #expect(try office.run(["credential", id, "--out", file]).status == 0)
        let credential = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect((credential["@context"] as? [String])?.last == "https://w3id.org/shikaku/credentials/v1")
        let subject = try #require(credential["credentialSubject"] as? [String: Any])
        let qualification = try #require(subject["qualification"] as? [String: Any])
        let additions = try #require(qualification["additions"] as? [[String: Any]])
        for (scope, object) in [("QualifiedPerson", subject), ("NationalQualification", qualification), ("additions", additions[0])] {
            for key in object.keys where key != "type" {
                #expect(terms[scope]?.contains(key) == true, "\(scope).\(key) is not defined in the context")
            }
        }
    }
}
