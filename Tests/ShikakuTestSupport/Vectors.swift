import Foundation

/// Where the standards' published test vectors are: `../shared/vectors/` beside the
/// checkout, or the folder named by `SHIKAKU_VECTORS`. Tests read them in place.
///
/// Suites and tests that read them carry `.enabled(if: Vectors.enabled, …)`. Locally, a missing folder
/// skips them with ``missingReason``. Under CI (`CI` set, as `.ci/run` does) they run anyway, so a missing
/// folder fails them (``VectorsMissing``) instead of letting them pass by skipping.
public enum Vectors {
    /// The vectors folder, or `nil` when it is absent.
    public static let root: URL? = {
        if let path = ProcessInfo.processInfo.environment["SHIKAKU_VECTORS"] {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        let candidate = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors", isDirectory: true)
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }()

    /// Whether the tests that read vectors run: see ``shouldRun(root:environment:)``.
    public static let enabled = shouldRun(root: root, environment: ProcessInfo.processInfo.environment)

    /// Whether vector tests run: when the folder is there, or under CI, where a missing folder must fail them.
    public static func shouldRun(root: URL?, environment: [String: String]) -> Bool {
        root != nil || isCI(environment)
    }

    /// Whether `environment` says it is CI: `CI` set to anything but empty, `0` or `false`.
    public static func isCI(_ environment: [String: String]) -> Bool {
        guard let value = environment["CI"]?.lowercased() else { return false }
        return !["", "0", "false"].contains(value)
    }

    /// Why vector tests are skipped when ``root`` is `nil`.
    public static let missingReason =
        "the standards' vectors are not at ../shared/vectors beside the checkout; set SHIKAKU_VECTORS to their folder"

    /// The file at `relativePath` inside the vectors folder.
    /// - Throws: ``VectorsMissing`` when the folder is absent (only under CI do tests get this far).
    public static func url(_ relativePath: String) throws -> URL {
        try url(relativePath, in: root)
    }

    /// The file at `relativePath` inside the vectors folder `root`.
    /// - Throws: ``VectorsMissing`` when `root` is `nil`.
    public static func url(_ relativePath: String, in root: URL?) throws -> URL {
        guard let root else { throw VectorsMissing() }
        return root.appendingPathComponent(relativePath)
    }

    /// The bytes of the file at `relativePath` inside the vectors folder.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// The names of the files in the folder at `relativePath` inside the vectors folder, sorted; hidden files
    /// left out.
    /// - Throws: ``VectorsMissing`` when the vectors folder is absent, or the file system's error when the
    ///   folder inside it is.
    public static func files(in relativePath: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(relativePath).path).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The top of this package: the folder that holds `Package.swift`.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()
}

/// Thrown by ``Vectors`` when the vectors folder is absent.
public struct VectorsMissing: Error, CustomStringConvertible {
    public init() {}
    public var description: String {
        Vectors.missingReason
            + (Vectors.isCI(ProcessInfo.processInfo.environment) ? " (CI is set: missing vectors fail the tests instead of skipping them)" : "")
    }
}
