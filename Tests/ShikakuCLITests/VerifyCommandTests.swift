import Foundation
import ShikakuTestSupport
import Testing

/// `shikaku verify` for every way a credential can fail, offline against an export folder, each with its
/// reason code and exit code 1 (an invalid credential is a result, not an error); and `verify --hash` for
/// each answer an employer holding only the hash can get.
@Suite struct VerifyCommandTests {
    /// One registry for every case (each process costs tens of milliseconds, a registry more): a physician and
    /// a care manager left as they are, three physicians suspended from today, revoked and reissued after
    /// their credentials were exported, and the public folder exported after that.
    struct Office {
        let fixture: CLIFixture
        /// Credential files by name: physician, manager, suspended, revoked, superseded.
        let files: [String: String]
        /// Their hashes, `sha256:…`.
        let hashes: [String: String]
        /// The holders' My Numbers, which no output may show.
        let myNumbers: [String]
        /// The last day of the suspension, a year from today.
        let suspendedUntil: String
        let trust: String
        var physician: String { files["physician"]! }
        var manager: String { files["manager"]! }
    }

    static let office: Result<Office, CLIFixtureError> = {
        do {
            let fixture = try CLIFixture()
            @discardableResult
            func run(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
                let result = try fixture.run(arguments, input: input)
                guard result.status == 0 else { throw CLIFixtureError(result: result) }
                return result
            }
            var ids = ["physician": try fixture.registerPhysician()]
            try run(  // the licence the care manager's practice was on
                [
                    "register", "registered-nurse", "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--birth-date", "1975-01-15",
                    "--sex", "male", "--exam", "看護師国家試験@1998-02-22", "--date", "1998-04-01", "--my-number-stdin",
                ], input: "100000000030\n")
            try run(
                [
                    "register", "care-manager", "--as", "tokyo", "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--birth-date", "1975-01-15",
                    "--practice", "registered-nurse:8:1900", "--exam", "介護支援専門員実務研修受講試験@2019-10-13",
                    "--training", "介護支援専門員実務研修@2020-03-10", "--date", "2024-04-01", "--my-number-stdin",
                ], input: "100000000030\n")
            ids["manager"] = "care-manager:13000001"
            var myNumbers = ["100000000021", "100000000030"]
            for (index, (name, holder)) in [("suspended", "高橋 健"), ("revoked", "田中 誠"), ("superseded", "伊藤 翔")].enumerated() {
                myNumbers.append(CLIFixture.myNumber(70_000_000 + index))
                ids[name] = try fixture.registerPhysician(myNumbers.last!, name: holder)
            }
            var files: [String: String] = [:]
            var hashes: [String: String] = [:]
            for (name, id) in ids {
                files[name] = fixture.folder.appendingPathComponent("\(name).json").path
                let exported = try run(["credential", id, "--out", files[name]!, "--json"])
                hashes[name] = (try JSONSerialization.jsonObject(with: exported.stdout) as? [String: Any])?["hash"] as? String
            }
            let tokyo = TimeZone(identifier: "Asia/Tokyo")!
            let today = ISO8601DateFormatter.string(from: Date(), timeZone: tokyo, formatOptions: [.withFullDate])
            let nextYear = ISO8601DateFormatter.string(
                from: Date().addingTimeInterval(365 * 86_400), timeZone: tokyo, formatOptions: [.withFullDate])
            try run(["suspend", ids["suspended"]!, "--from", today, "--until", nextYear, "--reason", "x"])
            try run(["revoke", ids["revoked"]!, "--reason", "x"])
            try run(["reissue", ids["superseded"]!, "--reason", "lost"])
            let trust = fixture.folder.appendingPathComponent("public").path
            try run(["export", trust])
            return .success(
                Office(fixture: fixture, files: files, hashes: hashes, myNumbers: myNumbers, suspendedUntil: nextYear, trust: trust))
        } catch let error as CLIFixtureError {
            return .failure(error)
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// Verifies `text` (written to a file) offline and returns the exit status and the reason code.
    static func verify(_ text: String, _ extra: [String] = [], trust: String? = nil) throws -> (Int32, String?) {
        let office = try office.get()
        let file = try office.fixture.file("case-\(UUID().uuidString).json", Data(text.utf8))
        let result = try office.fixture.run(["verify", file, "--trust", trust ?? office.trust, "--json"] + extra)
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        return (result.status, object?["reason"] as? String)
    }

    static func physician() throws -> String { try String(contentsOfFile: try office.get().physician, encoding: .utf8) }

    @Test func theUntouchedCredentialIsValid() throws {
        #expect(try Self.verify(try Self.physician()) == (0, nil))
        #expect(try Self.verify(try String(contentsOfFile: try Self.office.get().manager, encoding: .utf8)) == (0, nil))
    }

    @Test(arguments: [
        ("a changed subject field", "\"山田 太郎\"", "\"山田 次郎\"", "CRYPTOGRAPHIC_SECURITY_ERROR"),
        ("a changed proof option", "\"proofPurpose\": \"assertionMethod\"", "\"proofPurpose\": \"authentication\"", "PROOF_VERIFICATION_ERROR"),
        ("a changed creation time", "\"created\": \"20", "\"created\": \"19", "CRYPTOGRAPHIC_SECURITY_ERROR"),
        ("an unknown cryptosuite", "\"eddsa-jcs-2022\"", "\"eddsa-rdfc-2022\"", "UNKNOWN_CRYPTOSUITE"),
        ("duplicate keys", "\"validFrom\":", "\"id\": \"urn:uuid:0\", \"validFrom\":", "PARSING_ERROR"),
        ("malformed JSON", "\"credentialSubject\": {", "\"credentialSubject\": {{", "PARSING_ERROR"),
    ])
    func aTamperedCredentialFails(what: String, original: String, replacement: String, reason: String) throws {
        let text = try Self.physician()
        #expect(text.contains(original), "\(what)")
        let tampered = text.replacingOccurrences(of: original, with: replacement)
        let (status, code) = try Self.verify(tampered)
        #expect(status == 1, "\(what)")
        #expect(code == reason, "\(what)")
    }

    @Test func aRemovedProofOptionFails() throws {
        let lines = try Self.physician().split(separator: "\n", omittingEmptySubsequences: false)
        let tampered = lines.filter { !$0.contains("\"proofPurpose\"") }.joined(separator: "\n")
        #expect(try Self.verify(tampered) == (1, "PROOF_VERIFICATION_ERROR"))
    }

    @Test func aReorderedProofContextFails() throws {
        let text = try Self.physician()
        let proof = try #require(text.range(of: "\"proof\""))
        var tail = String(text[proof.lowerBound...])
        let first = "\"https://www.w3.org/ns/credentials/v2\""
        let second = "\"https://w3id.org/shikaku/credentials/v1\""
        tail = tail.replacingOccurrences(of: first, with: "\u{1}").replacingOccurrences(of: second, with: first)
            .replacingOccurrences(of: "\u{1}", with: second)
        #expect(try Self.verify(String(text[..<proof.lowerBound]) + tail) == (1, "CONTEXT_MISMATCH"))
    }

    @Test func aKeyNotInTheTrustListOrTheWrongKeyFails() throws {
        let other = try CLIFixture()
        let folder = other.folder.appendingPathComponent("public").path
        #expect(try other.run(["export", folder]).status == 0)
        #expect(try Self.verify(try Self.physician(), trust: folder) == (1, "UNKNOWN_KEY"))
        // The proof claims another registry's key: the signature is not that key's.
        let trustList = try String(contentsOfFile: folder + "/trust-list.json", encoding: .utf8)
        let otherKey = try #require(trustList.firstMatch(of: /z6Mk[1-9A-HJ-NP-Za-km-z]+/)).output
        let text = try Self.physician()
        let ownKey = try #require(text.firstMatch(of: /z6Mk[1-9A-HJ-NP-Za-km-z]+/)).output
        let (status, code) = try Self.verify(text.replacingOccurrences(of: ownKey, with: otherKey))
        #expect(status == 1)
        #expect(code == "CRYPTOGRAPHIC_SECURITY_ERROR")
    }

    @Test func datesOutsideTheCredentialsValidityFail() throws {
        #expect(try Self.verify(try Self.physician(), ["--at", "2001-01-01"]) == (1, "NOT_YET_VALID"))
        let manager = try String(contentsOfFile: try Self.office.get().manager, encoding: .utf8)
        #expect(manager.contains("\"validUntil\""))
        #expect(try Self.verify(manager, ["--at", "2030-01-01"]) == (1, "EXPIRED"))
    }
}

extension VerifyCommandTests {
    /// The three changed after their credentials were exported.
    @Test func suspendedRevokedAndSupersededCredentialsFail() throws {
        let office = try Self.office.get()
        let folder = office.trust
        for (name, reason) in [("suspended", "SUSPENDED"), ("revoked", "REVOKED")] {
            #expect(try Self.verify(try String(contentsOfFile: office.files[name]!, encoding: .utf8)) == (1, reason), "\(name)")
        }
        // A folder is taken only under the registry key it is pinned to.
        let vkey = try String(contentsOfFile: folder + "/log.vkey", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try office.fixture.run(["verify", office.files["revoked"]!, "--trust", folder, "--vkey", vkey]).status == 1)
        let other = vkey.replacingOccurrences(of: "+", with: "+x", options: [], range: vkey.range(of: "+"))
        let pinned = try office.fixture.run(["verify", office.files["revoked"]!, "--trust", folder, "--vkey", other])
        #expect(pinned.status == 3)
        #expect(pinned.stderr.contains("not the one given with --vkey"), "\(pinned.stderr)")
        // Offline, a superseded credential shows as revoked (its bit is set); the registry knows why, and says so first.
        #expect(try Self.verify(try String(contentsOfFile: office.files["superseded"]!, encoding: .utf8)) == (1, "REVOKED"))
        let superseded = try office.fixture.run(["verify", office.files["superseded"]!, "--json"])
        #expect(superseded.status == 1)
        #expect((try JSONSerialization.jsonObject(with: superseded.stdout) as? [String: Any])?["reason"] as? String == "SUPERSEDED")
    }
}

/// `verify --hash`: an employer holding only the hash gets the answer, the qualification, register, number and
/// holder's name, and never a My Number; exit 0 only for an active credential.
extension VerifyCommandTests {
    @Test func aHashAloneGetsEachAnswer() throws {
        let office = try Self.office.get()
        let unknown = "sha256:" + String(repeating: "0", count: 64)
        let physician = "医師 %@ — 医籍 第%@号 (physician:%@)"
        func shown(_ name: String, _ number: String) -> String {
            String(format: physician, name, number, number)
        }
        let cases: [(hash: String?, at: [String], status: Int32, output: String)] = [
            (office.hashes["physician"], [], 0, "VALID: " + shown("山田 太郎", "0000001")),
            (office.hashes["suspended"], [], 1, "NOT VALID (SUSPENDED) until \(office.suspendedUntil): " + shown("高橋 健", "0000002")),
            (office.hashes["revoked"], [], 1, "NOT VALID (REVOKED): " + shown("田中 誠", "0000003")),
            (office.hashes["superseded"], [], 1, "NOT VALID (SUPERSEDED): " + shown("伊藤 翔", "0000004")),
            (
                office.hashes["manager"], ["--at", "2030-01-01"], 1,
                "NOT VALID (EXPIRED) since 2029-04-01: 介護支援専門員 鈴木 一郎 — 介護支援専門員資格登録簿 第13000001号 (care-manager:13000001)"
            ),
            (unknown, [], 1, "NOT VALID (UNKNOWN): the registry did not issue this credential"),
        ]
        for (hash, at, status, output) in cases {
            let hash = try #require(hash)
            let result = try office.fixture.run(["verify", "--hash", hash] + at)
            #expect(result.status == status, "\(output)")
            #expect(result.output == output + "\n")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            for myNumber in office.myNumbers { #expect(!result.output.contains(myNumber)) }
        }
        // The same answers for scripts, a JSON line each from one staff list.
        let staff = try office.fixture.file("hashes.txt", Data(cases.compactMap(\.hash).joined(separator: "\n").utf8))
        let batch = try office.fixture.run(["verify", "--batch", staff, "--json"])
        #expect(batch.status == 1, "\(batch.stderr)")
        let lines = try VerifyListAndBundleTests.lines(batch)
        #expect(lines.map { $0["status"] as? String } == ["active", "suspended", "revoked", "superseded", "active", "unknown"])
        #expect(lines.map { $0["valid"] as? Bool } == [true, false, false, false, true, false])
        #expect(lines.map { $0["holder"] as? String } == ["山田 太郎", "高橋 健", "田中 誠", "伊藤 翔", "鈴木 一郎", nil])
        #expect(lines.map { $0["registrationNumber"] as? String } == ["0000001", "0000002", "0000003", "0000004", "13000001", nil])
        #expect(lines.map { $0["register"] as? String } == ["医籍", "医籍", "医籍", "医籍", "介護支援専門員資格登録簿", nil])
        #expect(lines[1]["until"] as? String == office.suspendedUntil)
        #expect(lines.map { $0["qualification"] as? String } == ["physician", "physician", "physician", "physician", "care-manager", nil])
        #expect(lines.map { $0["qualificationName"] as? String } == ["医師", "医師", "医師", "医師", "介護支援専門員", nil])
        for myNumber in office.myNumbers { #expect(!batch.output.contains(myNumber)) }
    }
}

/// `verify` over lists (`--batch`, several files), against a bundle folder, and `--at` reaching the registry's status.
@Suite struct VerifyListAndBundleTests {
    static func lines(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.output.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    @Test func aStaffListGetsAVerdictALineAndABundleCarriesItsLogProof() throws {
        let office = try CLIFixture()
        let first = try office.registerPhysician()
        let second = try office.registerPhysician("100000000030", name: "鈴木 一郎")
        let bundle = office.folder.appendingPathComponent("bundle").path
        let bundled = try office.run(["credential", first, "--bundle", bundle])
        #expect(bundled.status == 0, "\(bundled.stderr)")
        for name in ["credential.json", "credential.tlog-proof", "trust-list.json", "log.vkey", "checkpoint"] {
            #expect(FileManager.default.fileExists(atPath: bundle + "/" + name), "\(name)")
        }
        let (other, otherHash) = try office.exportCredential(second, to: "other.json")

        // Against the bundle alone: its proof makes the log check pass for its own credential...
        let own = try office.run(["verify", bundle + "/credential.json", "--trust", bundle, "--json"])
        #expect(own.status == 0, "\(own.output)\(own.stderr)")
        let checks = try #require(try Self.lines(own).first?["checks"] as? [[String: Any]])
        #expect(checks.first { $0["name"] as? String == "log" }?["outcome"] as? String == "passed", "\(own.output)")
        // ...and is not about another one, whose log check is skipped as without a proof.
        let foreign = try office.run(["verify", other, "--trust", bundle, "--json"])
        #expect(foreign.status == 0, "\(foreign.output)\(foreign.stderr)")
        let foreignChecks = try #require(try Self.lines(foreign).first?["checks"] as? [[String: Any]])
        #expect(foreignChecks.first { $0["name"] as? String == "log" }?["outcome"] as? String == "skipped")
        // A damaged proof fails the log check rather than being ignored.
        let damaged = office.folder.appendingPathComponent("damaged").path
        try FileManager.default.copyItem(atPath: bundle, toPath: damaged)
        try Data("c2sp.org/tlog-proof@v1\nnonsense\n".utf8).write(to: URL(fileURLWithPath: damaged + "/credential.tlog-proof"))
        let broken = try office.run(["verify", damaged + "/credential.json", "--trust", damaged])
        #expect(broken.status == 1, "\(broken.output)")
        #expect(broken.output.hasPrefix("NOT VALID (LOG_INCLUSION_ERROR)"), "\(broken.output)")

        // Several files with --json: JSON Lines, one object each.
        let two = try office.run(["verify", bundle + "/credential.json", other, "--json"])
        #expect(two.status == 0, "\(two.stderr)")
        #expect(try Self.lines(two).map { $0["file"] as? String } == [bundle + "/credential.json", other])

        // A staff list: every entry gets its line, those that cannot be checked too, and the rest go on.
        let staff = try office.file(
            "staff.txt", Data("# staff\n\(other)\n\(office.folder.path)/missing.json\nsha256:1234\n\(otherHash)\n".utf8))
        let offline = try office.run(["verify", "--batch", staff, "--trust", bundle])
        #expect(offline.status == 3, "\(offline.output)\(offline.stderr)")
        let verdicts = offline.output.split(separator: "\n")
        #expect(verdicts.count == 4, "\(offline.output)")
        #expect(verdicts[0].hasPrefix("VALID: 医師 鈴木 一郎") && verdicts[0].hasSuffix(other))
        #expect(verdicts[1].hasPrefix("NOT CHECKED (input.unreadable): cannot read") && verdicts[1].hasSuffix("missing.json"))
        #expect(verdicts[2].hasPrefix("NOT CHECKED (input.unreadable):") && verdicts[2].contains("not a credential hash"))
        #expect(verdicts[3].hasPrefix("NOT CHECKED (input.unreadable):") && verdicts[3].contains("needs the registry"))
        #expect(offline.stderr.isEmpty, "\(offline.stderr)")
        let online = try office.run(["verify", "--batch", staff, "--json"])
        #expect(online.status == 3)
        let objects = try Self.lines(online)
        #expect(objects.map { $0["valid"] as? Bool } == [true, false, false, true])
        #expect(objects.map { $0["checked"] as? Bool } == [nil, false, false, nil])
        #expect((objects[1]["error"] as? [String: Any])?["code"] as? String == "input.unreadable")
        // All readable and valid: exit 0.
        let good = try office.file("good.txt", Data("\(other)\n\(otherHash)\n".utf8))
        #expect(try office.run(["verify", "--batch", good]).status == 0)
    }

    /// A hash is answered as of the day asked about, as its file is: not yet in effect before the credential's
    /// validFrom, current until the event that replaced it (with the name it carries), superseded from then.
    @Test func aHashIsAnsweredAsOfTheDayAskedAbout() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let (file, hash) = try office.exportCredential(id, to: "first.json")
        #expect(try office.run(["amend", id, "--name", "佐藤 太郎", "--date", "2021-06-01"]).status == 0)
        let shown = ": 医師 山田 太郎 — 医籍 第0000001号 (physician:0000001)\n"
        let before = try office.run(["verify", "--hash", hash, "--at", "2018-01-01"])
        #expect(before.status == 1)
        #expect(before.output == "NOT VALID (NOT_YET_VALID) from 2019-04-20" + shown)
        // The file's own dates say the same (its status list, which says only what holds now, also fails it).
        #expect(try office.run(["verify", file, "--at", "2018-01-01"]).output.contains("FAIL  validity           NOT_YET_VALID"))
        let then = try office.run(["verify", "--hash", hash, "--at", "2020-01-01"])
        #expect(then.status == 0, "\(then.output)")
        #expect(then.output == "VALID" + shown)
        let now = try office.run(["verify", "--hash", hash])
        #expect(now.status == 1)
        #expect(now.output == "NOT VALID (SUPERSEDED)" + shown)
        // The file's verdict names the registration as the hash's does.
        let fileVerdict = try JSONSerialization.jsonObject(with: try office.run(["verify", file, "--json"]).stdout) as? [String: Any]
        #expect((fileVerdict?["credential"] as? [String: Any])?["registration"] as? String == id)
        let hashVerdict = try JSONSerialization.jsonObject(with: try office.run(["verify", "--hash", hash, "--json"]).stdout) as? [String: Any]
        #expect(hashVerdict?["registration"] as? String == id)
    }

    @Test func atADateAsksTheRegistryAboutTheSuspensionsInForceThatDay() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let (file, hash) = try office.exportCredential(id, to: "physician.json")
        #expect(try office.run(["suspend", id, "--from", "2099-01-10", "--until", "2099-06-30", "--reason", "医道審議会の答申"]).status == 0)
        #expect(try office.run(["verify", file]).status == 0)
        for day in ["2099-01-10", "2099-06-30"] {
            let during = try office.run(["verify", file, "--at", day])
            #expect(during.status == 1, "\(day): \(during.output)")
            #expect(during.output.hasPrefix("NOT VALID (SUSPENDED)"), "\(day): \(during.output)")
            let byHash = try office.run(["verify", "--hash", hash, "--at", day])
            #expect(byHash.output.hasPrefix("NOT VALID (SUSPENDED) until 2099-06-30"), "\(byHash.output)")
        }
        for day in ["2099-01-09", "2099-07-01"] {
            let outside = try office.run(["verify", file, "--at", day])
            #expect(outside.status == 0, "\(day): \(outside.output)")
        }
    }
}
