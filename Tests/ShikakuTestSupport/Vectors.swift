import Foundation

/// Where the standards' published test vectors are: `../shared/vectors/` beside the
/// checkout, or the folder named by `SHIKAKU_VECTORS`. Tests read them in place.
public enum Vectors {
    /// The vectors folder, or `nil` when it is absent (tests then say they skipped, and why).
    public static let root: URL? = {
        if let path = ProcessInfo.processInfo.environment["SHIKAKU_VECTORS"] {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        let candidate = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors", isDirectory: true)
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }()

    /// Why vector tests are skipped when ``root`` is `nil`.
    public static let missingReason =
        "the standards' vectors are not at ../shared/vectors beside the checkout; set SHIKAKU_VECTORS to their folder"

    /// The file at `relativePath` inside the vectors folder.
    public static func url(_ relativePath: String) throws -> URL {
        guard let root else { throw VectorsMissing() }
        return root.appendingPathComponent(relativePath)
    }

    /// The bytes of the file at `relativePath` inside the vectors folder.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
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
    public var description: String { Vectors.missingReason }
}
