import Foundation
import ShikakuTestSupport
import Testing

/// `shikaku verify` for every way a credential can fail, offline against an export folder, each with its
/// reason code and exit code 1 (an invalid credential is a result, not an error).
@Suite struct VerifyCommandTests {
    /// A registry with a physician (suspended from today) and a care manager, its public folder and their credentials.
    struct Office {
        let fixture: CLIFixture
        let physician: String
        let manager: String
        let trust: String
    }

    static let office: Result<Office, CLIFixtureError> = {
        do {
            let fixture = try CLIFixture()
            let id = try fixture.registerPhysician()
            let nurse = try fixture.run(  // the licence the care manager's practice was on
                [
                    "register", "registered-nurse", "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--birth-date", "1975-01-15",
                    "--sex", "male", "--exam", "看護師国家試験@1998-02-22", "--date", "1998-04-01", "--my-number-stdin",
                ], input: "100000000030\n")
            guard nurse.status == 0 else { throw CLIFixtureError(result: nurse) }
            let registered = try fixture.run(
                [
                    "register", "care-manager", "--as", "tokyo", "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--birth-date", "1975-01-15",
                    "--practice", "registered-nurse:8:1900", "--exam", "介護支援専門員実務研修受講試験@2019-10-13",
                    "--training", "介護支援専門員実務研修@2020-03-10", "--date", "2024-04-01", "--my-number-stdin",
                ], input: "100000000030\n")
            guard registered.status == 0 else { throw CLIFixtureError(result: registered) }
            let physician = fixture.folder.appendingPathComponent("physician.json").path
            let manager = fixture.folder.appendingPathComponent("manager.json").path
            let trust = fixture.folder.appendingPathComponent("public").path
            for (arguments) in [["credential", id, "--out", physician], ["credential", "care-manager:13000001", "--out", manager], ["export", trust]] {
                let result = try fixture.run(arguments)
                guard result.status == 0 else { throw CLIFixtureError(result: result) }
            }
            return .success(Office(fixture: fixture, physician: physician, manager: manager, trust: trust))
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

/// Status failures need a registry changed after the credential was exported.
@Suite struct StatusVerificationTests {
    @Test func suspendedRevokedAndSupersededCredentialsFail() throws {
        let office = try CLIFixture()
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: tokyo, formatOptions: [.withFullDate])
        let nextYear = ISO8601DateFormatter.string(from: Date().addingTimeInterval(365 * 86_400), timeZone: tokyo, formatOptions: [.withFullDate])
        var credentials: [String: String] = [:]
        for (index, name) in ["suspended", "revoked", "superseded"].enumerated() {
            let id = try office.registerPhysician(CLIFixture.myNumber(70_000_000 + index), name: "山田 太郎")
            credentials[name] = office.folder.appendingPathComponent("\(name).json").path
            #expect(try office.run(["credential", id, "--out", credentials[name]!]).status == 0)
        }
        #expect(try office.run(["suspend", "physician:0000001", "--from", today, "--until", nextYear, "--reason", "x"]).status == 0)
        #expect(try office.run(["revoke", "physician:0000002", "--reason", "x"]).status == 0)
        #expect(try office.run(["reissue", "physician:0000003", "--reason", "lost"]).status == 0)
        let folder = office.folder.appendingPathComponent("public").path
        #expect(try office.run(["export", folder]).status == 0)
        for (name, reason) in [("suspended", "SUSPENDED"), ("revoked", "REVOKED")] {
            let result = try office.run(["verify", credentials[name]!, "--trust", folder, "--json"])
            #expect(result.status == 1)
            #expect((try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])?["reason"] as? String == reason)
        }
        // A folder is taken only under the registry key it is pinned to.
        let vkey = try String(contentsOfFile: folder + "/log.vkey", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try office.run(["verify", credentials["revoked"]!, "--trust", folder, "--vkey", vkey]).status == 1)
        let other = vkey.replacingOccurrences(of: "+", with: "+x", options: [], range: vkey.range(of: "+"))
        let pinned = try office.run(["verify", credentials["revoked"]!, "--trust", folder, "--vkey", other])
        #expect(pinned.status == 3)
        #expect(pinned.stderr.contains("not the one given with --vkey"), "\(pinned.stderr)")
        // Offline, a superseded credential shows as revoked (its bit is set); the registry knows why, and says so first.
        let offline = try office.run(["verify", credentials["superseded"]!, "--trust", folder, "--json"])
        #expect((try JSONSerialization.jsonObject(with: offline.stdout) as? [String: Any])?["reason"] as? String == "REVOKED")
        let superseded = try office.run(["verify", credentials["superseded"]!, "--json"])
        #expect(superseded.status == 1)
        #expect((try JSONSerialization.jsonObject(with: superseded.stdout) as? [String: Any])?["reason"] as? String == "SUPERSEDED")
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
        let other = office.folder.appendingPathComponent("other.json").path
        let exported = try office.run(["credential", second, "--out", other])
        let otherHash = try #require(exported.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })

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

    @Test func atADateAsksTheRegistryAboutTheSuspensionsInForceThatDay() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let file = office.folder.appendingPathComponent("physician.json").path
        let exported = try office.run(["credential", id, "--out", file])
        let hash = try #require(exported.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
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
