import Foundation
import ShikakuTestSupport
import Testing

/// A full disk and a read-only disk, simulated around the built binary: a clear message, exit code 5, and not
/// a byte of the registry changed. (Tests run as root, so file modes would not stop a write.)
@Suite struct StorageFailureTests {
    static let register = [
        "register", "physician", "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--birth-date", "1992-11-03", "--sex", "male",
        "--exam", "医師国家試験@2019-02-10", "--date", "2019-04-20", "--my-number-stdin",
    ]

    /// Runs `shikaku` under `bash -c PREFIX; exec shikaku …` with the fixture's environment.
    static func run(_ office: CLIFixture, prefix: String, _ arguments: [String], input: String? = nil) throws -> ProcessResult {
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8", "SHIKAKU_REGISTRY": office.registry,
            "SHIKAKU_PASSPHRASE_FILE": office.passphraseFile, "SHIKAKU_LOCK_TIMEOUT": "0.5",
        ]
        return try Processes.run(
            "/bin/bash", ["-c", prefix + " && exec \"$@\"", "bash", Processes.shikakuPath] + arguments, input: input.map { Data($0.utf8) },
            environment: environment)
    }

    /// A full disk: a file size limit just past the journal's end, with SIGXFSZ ignored (as a child inherits it),
    /// so the journal's write gets part way, then fails with EFBIG as it would with ENOSPC, and is cut back.
    @Test func aFullDiskIsAStorageFailureAndWritesNothing() throws {
        let office = try CLIFixture()
        try office.registerPhysician()
        let journal = try #require(try FileManager.default.attributesOfItem(atPath: office.registry + "/journal")[.size] as? Int)
        let limit = "trap '' XFSZ; ulimit -f \(journal / 1024 + 1)"
        let before = try office.contents()

        let single = try Self.run(office, prefix: limit, Self.register, input: "100000000030\n")
        #expect(single.status == 5, "\(single.stderr)")
        #expect(single.stderr.hasPrefix("Error: cannot write \(office.registry)/journal: File too large — the disk is full"), "\(single.stderr)")
        #expect(single.stdout.isEmpty)
        #expect(try office.contents() == before)

        let rows = try office.physicians(30, named: "full.csv")
        let batch = try Self.run(office, prefix: limit, ["batch", "register", rows, "--json"])
        #expect(batch.status == 5, "\(batch.stderr)")
        #expect(BatchCommandTests.error(batch)?["code"] as? String == "store.io", "\(batch.stderr)")
        #expect((BatchCommandTests.error(batch)?["message"] as? String)?.contains("the disk is full") == true)
        #expect(!batch.output.contains("\"done\""), "no row may be reported done: \(batch.output)")
        #expect(try office.contents() == before)

        // With space again, the same commands go through.
        #expect(try office.run(Self.register, input: "100000000030\n").status == 0)
        #expect(try office.run(["audit"]).status == 0)
    }

    /// A disk that fills in the middle of a batch, as its second group is written (by the last commit, of a
    /// file of 2,500 rows; with later groups still in flight, of 3,500): the first group's rows are done, every
    /// later row is reported not written, the error says why, and the registry audits clean and takes the rest
    /// once there is space.
    @Test(arguments: [2_500, 3_500])
    func aDiskFillingMidBatchReportsEveryRowAfterTheLastCommit(count: Int) throws {
        let office = try CLIFixture()
        let path = office.registry + "/journal"
        func size() throws -> Int { try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) }
        let empty = try size()
        try office.registerPhysician()
        let record = try size() - empty
        let initial = try office.logSize()
        // Room for about one and a half groups of 1,000 records.
        let limit = "trap '' XFSZ; ulimit -f \((try size() + record * 1_500) / 1024)"
        let rows = try office.physicians(count, named: "fills.csv")
        let batch = try Self.run(office, prefix: limit, ["batch", "register", rows, "--json"])
        #expect(batch.status == 5, "\(batch.stderr)")
        #expect(BatchCommandTests.error(batch)?["code"] as? String == "store.io", "\(batch.stderr)")
        let reported = BatchCommandTests.rows(batch)
        #expect(reported.map(\.row) == Array(2...count + 1))
        #expect(reported.prefix(1_000).allSatisfy { $0.outcome == "done" })
        #expect(reported.dropFirst(1_000).allSatisfy { $0.outcome == "not-written" })
        #expect(try office.logSize() == initial + 1_000)
        #expect(try office.run(["audit"]).status == 0)

        let rest = try office.run(["batch", "register", rows, "--json"])
        #expect(rest.status == 0, "\(rest.stderr)")
        let outcomes = BatchCommandTests.rows(rest).map(\.outcome)
        #expect(outcomes == Array(repeating: "already-done", count: 1_000) + Array(repeating: "done", count: count - 1_000))
        #expect(try office.logSize() == initial + count)
    }

    /// A read-only disk: the registry folder bind-mounted read-only in a private mount namespace (unshare), which
    /// gives the EROFS a read-only file system gives, even to root.
    @Test func aReadOnlyDiskRefusesWritesAndStillServesReaders() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let before = try office.contents()
        // As root, a mount namespace; otherwise a user namespace too, in which the user may mount.
        let namespace = getuid() == 0 ? ["--mount"] : ["--mount", "--map-root-user"]
        let readOnly = #"mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@""#
        func run(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
            try Processes.run(
                "unshare", namespace + ["bash", "-c", readOnly, office.registry, Processes.shikakuPath] + arguments,
                input: input.map { Data($0.utf8) },
                environment: [
                    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8", "SHIKAKU_REGISTRY": office.registry,
                    "SHIKAKU_PASSPHRASE_FILE": office.passphraseFile, "SHIKAKU_LOCK_TIMEOUT": "0.5",
                ])
        }
        let probe = try run(["--version"])
        try #require(probe.status == 0, "cannot simulate a read-only disk here (unshare and mount --bind -o ro): \(probe.stderr)")

        let registered = try run(Self.register, input: "100000000030\n")
        #expect(registered.status == 5, "\(registered.stderr)")
        #expect(registered.stderr.contains("Read-only file system — the registry's disk is mounted read-only"), "\(registered.stderr)")
        let batch = try run(["batch", "renew", try office.file("renew.csv", Data("registration,trainingDate\ncare-manager:13000001,2026-01-01\n".utf8)), "--as", "tokyo"])
        #expect(batch.status == 5, "\(batch.stderr)")
        #expect(batch.stderr.contains("mounted read-only"), "\(batch.stderr)")
        let rotated = try run(["keys", "rotate"])
        #expect(rotated.status == 5, "\(rotated.stderr)")
        // Readers need nothing written.
        let shown = try run(["show", id])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.output.contains("山田 太郎"))
        #expect(try run(["audit"]).status == 0)
        #expect(try office.contents() == before)
    }
}
