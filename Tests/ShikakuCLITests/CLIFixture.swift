import Foundation
import ShikakuTestSupport
import Testing

/// A registry made by `shikaku init` in a temporary folder, with its passphrase in a 0600 file, and the
/// built binary run against it.
struct CLIFixture {
    let folder: URL
    var registry: String { folder.appendingPathComponent("registry").path }
    var passphraseFile: String { folder.appendingPathComponent("passphrase").path }

    init() throws {
        folder = try Processes.temporaryFolder("shikaku-cli")
        try Data("cli test passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
        chmod(passphraseFile, 0o600)
        let created = try run(["init", "--name", "テスト登録簿", "--prefecture", "tokyo", "--base-url", "https://test.example/shikaku"])
        guard created.status == 0 else { throw CLIFixtureError(result: created) }
    }

    /// Runs `shikaku` against this registry.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try Processes.shikaku(
            arguments, input: input.map { Data($0.utf8) },
            environment: ["SHIKAKU_REGISTRY": registry, "SHIKAKU_PASSPHRASE_FILE": passphraseFile, "SHIKAKU_LOCK_TIMEOUT": "0.5"]
                .merging(environment) { $1 })
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
