import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// Exports of an ``OfficeFixture``'s registry, and what the export tests read back from the folder.
extension OfficeFixture {
    /// The export folder beside the registry.
    var exportPath: String { folder.appendingPathComponent("public").path }

    /// The keys an export signs with: the log's and every authority's current one, as `shikaku export`
    /// opens them (each costs a PBKDF2 of the passphrase, so tests open them once).
    func exportKeys(_ registry: Registry) throws -> ExportKeys {
        ExportKeys(
            logKey: try registry.logKey(passphrase: passphrase),
            issuers: try registry.config.authorities.map { try registry.issuer($0.id, passphrase: passphrase) })
    }

    /// Exports `registry` into `path` (the fixture's export folder by default).
    @discardableResult
    func export(
        _ registry: Registry, keys: ExportKeys, to path: String? = nil,
        at now: Timestamp = Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds), files: FileSystem = PosixFileSystem()
    ) throws -> Publication.Summary {
        try Publication.export(registry, to: path ?? exportPath, logKey: keys.logKey, issuers: keys.issuers, now: now, files: files)
    }

    /// Appends `count` key events straight through the store (far faster than registrations through the
    /// office, and each a leaf like any other), commits them and signs a checkpoint over them.
    func appendLeaves(_ count: Int, to registry: Registry, keys: ExportKeys) throws {
        for n in 0..<count {
            try registry.append(
                JournalEntry(
                    time: Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds + Int64(n)), authority: "mhlw",
                    body: .key(did: "did:key:test-leaf-\(registry.size + UInt64(n))")))
        }
        try registry.commit()
        try registry.signCheckpoint(with: keys.logKey)
    }
}

/// What an export signs with.
struct ExportKeys {
    let logKey: Ed25519.PrivateKey
    let issuers: [Issuer]
}

/// An export folder as read back from disk.
enum ExportedFolder {
    /// When and as what a file was last written: its inode (a durable replace makes a new one) and mtime.
    struct Stamp: Hashable {
        let inode: UInt64
        let modified: Date
    }

    /// Every regular file under `root`, by its path relative to `root`, with its bytes.
    static func files(_ root: String) throws -> [String: [UInt8]] {
        try paths(root).reduce(into: [:]) { result, path in
            result[path] = Array(try Data(contentsOf: URL(fileURLWithPath: root).appendingPathComponent(path)))
        }
    }

    /// Every regular file under `root` with its stamp.
    static func stamps(_ root: String) throws -> [String: Stamp] {
        try paths(root).reduce(into: [:]) { result, path in
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + path)
            result[path] = Stamp(
                inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0, modified: attributes[.modificationDate] as? Date ?? .distantPast)
        }
    }

    /// The paths of the files that differ (added, removed or rewritten) between two stampings.
    static func changed(_ before: [String: Stamp], _ after: [String: Stamp]) -> Set<String> {
        Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
    }

    private static func paths(_ root: String) throws -> [String] {
        let base = URL(fileURLWithPath: root).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var result: [String] = []
        // `.lock` is what an export holds while it writes, not something it publishes.
        for case let url as URL in walker
        where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true && url.path != base.path + "/.lock" {
            result.append(String(url.standardizedFileURL.path.dropFirst(base.path.count + 1)))
        }
        return result.sorted()
    }
}
