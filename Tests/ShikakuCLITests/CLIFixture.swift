import Foundation
import ShikakuModel
import ShikakuTestSupport
import Testing

/// A registry made by `shikaku init` in a temporary folder, with its passphrase in a 0600 file, and the
/// built binary run against it. The folder goes with the fixture.
final class CLIFixture: Sendable {
    let folder: URL
    var registry: String { folder.appendingPathComponent("registry").path }
    var passphraseFile: String { folder.appendingPathComponent("passphrase").path }

    init() throws {
        folder = try Processes.temporaryFolder("shikaku-cli")
        try Data("cli test passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
        chmod(passphraseFile, 0o600)
        let created = try run(["init", "--name", "テスト登録簿", "--prefecture", "tokyo", "--base-url", "https://test.example/shikaku"])
        // Thrown from here, the fixture is whole, so its deinit removes the folder.
        guard created.status == 0 else { throw CLIFixtureError(result: created) }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Runs `shikaku` against this registry.
    @discardableResult
    func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], killAfter seconds: Double? = nil
    ) throws -> ProcessResult {
        try Processes.shikaku(
            arguments, input: input.map { Data($0.utf8) },
            environment: ["SHIKAKU_REGISTRY": registry, "SHIKAKU_PASSPHRASE_FILE": passphraseFile, "SHIKAKU_LOCK_TIMEOUT": "0.5"]
                .merging(environment) { $1 }, killAfter: seconds)
    }

    /// A valid My Number: `serial` as the first 11 digits and its check digit.
    static func myNumber(_ serial: Int) -> String {
        var digits = Array(String(serial).utf8)
        digits = [UInt8](repeating: UInt8(ascii: "0"), count: 11 - digits.count) + digits
        return String(decoding: digits + [MyNumber.checkDigit(of: digits)], as: UTF8.self)
    }

    /// A CSV of `count` physicians to register, one a row.
    func physicians(_ count: Int, from first: Int = 0, named name: String = "physicians.csv") throws -> String {
        var text = "qualification,myNumber,name,kana,birthDate,sex,exams,date\n"
        for n in first..<first + count {
            text += "physician,\(Self.myNumber(30_000_000 + n)),山田 太郎\(n),ヤマダ タロウ,1990-01-01,male,医師国家試験@2019-02-10,2019-04-20\n"
        }
        return try file(name, Data(text.utf8))
    }

    /// Registers a physician (My Number on stdin) and returns the registration number.
    @discardableResult
    func registerPhysician(_ myNumber: String = "100000000021", name: String = "山田 太郎") throws -> String {
        let result = try run(
            [
                "register", "physician", "--name", name, "--kana", "ヤマダ タロウ", "--birth-date", "1992-11-03", "--sex", "male",
                "--exam", "医師国家試験@2019-02-10", "--date", "2019-04-20", "--my-number-stdin", "--json",
            ], input: myNumber + "\n")
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any],
            let id = object["registration"] as? String
        else { throw CLIFixtureError(result: result) }
        return id
    }

    /// Exports `id`'s credential to `name` in the fixture's folder, and returns the file's path and the hash
    /// the command reports for it.
    func exportCredential(_ id: String, to name: String) throws -> (file: String, hash: String) {
        let file = folder.appendingPathComponent(name).path
        let result = try run(["credential", id, "--out", file])
        guard result.status == 0, let hash = result.output.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw CLIFixtureError(result: result)
        }
        return (file, hash)
    }

    /// The size of the log as its latest checkpoint says.
    func logSize() throws -> Int {
        let result = try run(["log", "checkpoint", "--json"])
        guard let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], let size = object["size"] as? Int else {
            throw CLIFixtureError(result: result)
        }
        return size
    }

    /// Every file of the registry and its bytes: to show that a failed command wrote nothing.
    func contents() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let root = URL(fileURLWithPath: registry)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            if url.lastPathComponent == "LOCK" { continue }
            result[url.path] = try Data(contentsOf: url)
        }
        return result
    }

    /// Writes `text` to a file in the fixture's folder and returns its path.
    func file(_ name: String, _ bytes: Data) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }
}

struct CLIFixtureError: Error, CustomStringConvertible {
    let result: ProcessResult
    var description: String { "shikaku exited \(result.status): \(result.stderr)\(result.output)" }
}
