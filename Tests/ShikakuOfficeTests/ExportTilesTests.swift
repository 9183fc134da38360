import Foundation
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// The exported log, read back as a C2SP tlog-tiles client reads it and recomputed in the test with
/// RFC 9162 hashing: entry bundles → leaf hashes → every hash tile, and the root rebuilt from the tiles
/// alone against the signed checkpoint. Exported at growing sizes into one folder, so partial tiles are
/// replaced by full ones at level 0, and level 1 tiles are partial of width 1, 2 and 3.
@Suite struct ExportTilesTests {
    /// A tile as its path names it: level (`nil` for an entry bundle), index, width.
    struct Tile: Hashable, CustomStringConvertible {
        let level: Int?
        let index: UInt64
        let width: Int
        var description: String { "\(level.map(String.init) ?? "entries")/\(index)/\(width)" }
    }

    /// Parses `tile/<L>/<N>[.p/<W>]` strictly by the spec: `L` decimal 0–63 or `entries`, `N` in 3-digit
    /// groups each but the last prefixed with `x` (no leading `x000`), `W` decimal 1–255 without leading zeros.
    static func parse(_ path: String) -> Tile? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts.removeFirst() == "tile" else { return nil }
        let levelText = parts.removeFirst()
        let level: Int?
        if levelText == "entries" {
            level = nil
        } else {
            guard let value = Int(levelText), (0...63).contains(value), String(value) == levelText else { return nil }
            level = value
        }
        var width = 256
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            let text = parts.removeLast()
            guard let value = Int(text), (1...255).contains(value), String(value) == text else { return nil }
            width = value
            parts[parts.count - 1].removeLast(2)
        }
        func digits(_ text: Substring) -> UInt64? { text.count == 3 && text.allSatisfy { ("0"..."9").contains($0) } ? UInt64(text) : nil }
        var index: UInt64 = 0
        for (position, group) in parts.enumerated() {
            let last = position == parts.count - 1
            guard last ? !group.hasPrefix("x") : group.hasPrefix("x"), let value = digits(group.dropFirst(last ? 0 : 1)) else { return nil }
            if position == 0 && !last && value == 0 { return nil }
            index = index * 1000 + value
        }
        return Tile(level: level, index: index, width: width)
    }

    /// The tiles a tree of `size` leaves needs (C2SP tlog-tiles: `floor(s / 256^l) mod 256` in the partial).
    static func tiles(size: UInt64) -> Set<Tile> {
        var result: Set<Tile> = []
        var hashes = size
        var level = 0
        while hashes > 0 {
            for index in 0..<hashes / 256 { result.insert(Tile(level: level, index: index, width: 256)) }
            if hashes % 256 > 0 { result.insert(Tile(level: level, index: hashes / 256, width: Int(hashes % 256))) }
            if level == 0 { result.formUnion(result.filter { $0.level == 0 }.map { Tile(level: nil, index: $0.index, width: $0.width) }) }
            hashes /= 256
            level += 1
        }
        return result
    }

    static func leafHash(_ data: [UInt8]) -> [UInt8] { SHA256.hash([0x00] + data).bytes }
    static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { SHA256.hash([0x01] + left + right).bytes }

    /// MTH over leaf hashes, the plain recursion of RFC 9162 §2.1.1.
    static func mth(_ hashes: ArraySlice<[UInt8]>) -> [UInt8] {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        var split = 1
        while split * 2 < hashes.count { split *= 2 }
        return node(mth(hashes.prefix(split)), mth(hashes.dropFirst(split)))
    }

    /// The entries of a bundle: big-endian uint16 lengths, each followed by that many bytes.
    static func entries(_ bundle: [UInt8]) -> [[UInt8]]? {
        var result: [[UInt8]] = []
        var at = 0
        while at < bundle.count {
            guard at + 2 <= bundle.count else { return nil }
            let length = Int(bundle[at]) << 8 | Int(bundle[at + 1])
            guard at + 2 + length <= bundle.count else { return nil }
            result.append(Array(bundle[at + 2..<at + 2 + length]))
            at += 2 + length
        }
        return result
    }

    /// Checks everything under `tile/` against the bundles and the checkpoint, for every size exported so far.
    static func check(_ folder: String, exported sizes: [UInt64]) throws {
        let files = try ExportedFolder.files(folder)
        var tiles: [Tile: [UInt8]] = [:]
        for (path, bytes) in files where path.hasPrefix("tile/") {
            let tile = try #require(parse(path), "\(path) is not a tlog-tiles path")
            tiles[tile] = bytes
        }
        let size = try #require(sizes.last)
        #expect(Set(tiles.keys) == sizes.reduce(into: Set<Tile>()) { $0.formUnion(Self.tiles(size: $1)) }, "size \(size)")

        // Leaves from the bundles: a partial bundle must be the start of every wider one at its index.
        var leaves: [[UInt8]?] = Array(repeating: nil, count: Int(size))
        for (tile, bytes) in tiles where tile.level == nil {
            let bundle = try #require(entries(bytes), "bundle \(tile)")
            #expect(bundle.count == tile.width, "bundle \(tile)")
            for (offset, leaf) in bundle.enumerated() {
                let position = Int(tile.index) * 256 + offset
                if let known = leaves[position] { #expect(known == leaf, "leaf \(position) differs between bundles") }
                leaves[position] = leaf
            }
        }
        let hashes = try leaves.enumerated().map { try leafHash(#require($0.element, "leaf \($0.offset) is in no bundle")) }

        // Every hash tile, partial ones of earlier sizes too, holds MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]).
        for (tile, bytes) in tiles {
            guard let level = tile.level else { continue }
            let span = 1 << (8 * level)
            let expected = (0..<tile.width).flatMap { i in
                let start = (Int(tile.index) * 256 + i) * span
                return mth(hashes[start..<start + span])
            }
            let matches = bytes == expected
            #expect(matches, "tile \(tile) is not the hashes of its subtrees")
        }

        // The root from the tiles alone: the recursion takes a 256^l-leaf subtree from level l's tile.
        func tileHash(level: Int, position: Int) -> [UInt8]? {
            let width = Int(size >> (8 * UInt64(level))) - position / 256 * 256
            guard let bytes = tiles[Tile(level: level, index: UInt64(position / 256), width: min(width, 256))] else { return nil }
            return Array(bytes[position % 256 * 32..<position % 256 * 32 + 32])
        }
        func root(_ start: Int, _ count: Int) -> [UInt8]? {
            var level = 0
            while 1 << (8 * (level + 1)) <= count { level += 1 }
            if count == 1 << (8 * level), start % count == 0 { return tileHash(level: level, position: start / count) }
            var split = 1
            while split * 2 < count { split *= 2 }
            guard let left = root(start, split), let right = root(start + split, count - split) else { return nil }
            return node(left, right)
        }
        let fromTiles = try #require(root(0, Int(size)), "the tiles do not cover the tree of \(size)")

        // The checkpoint, read as a client would: origin, size, base64 root; signed under log.vkey.
        let note = try #require(files["checkpoint"])
        let lines = String(decoding: note, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "\(size)")
        let signedRoot = Data(base64Encoded: String(lines[2])).map(Array.init)
        #expect(signedRoot == fromTiles, "the tiles' root is not the checkpoint's")
        #expect(signedRoot == mth(hashes[...]), "the bundles' root is not the checkpoint's")
        let vkey = try NoteVerifier(vkey: String(decoding: try #require(files["log.vkey"]), as: UTF8.self).trimmingCharacters(in: .newlines))
        #expect(try SignedNote(parsing: note).verify(with: [vkey]).count == 1)
    }

    @Test func tilesAndBundlesRebuildTheSignedRootAtEverySize() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        for n in 1...3 {
            try office.register(
                "physician", holder: OfficeFixture.holder(n), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
                on: OfficeFixture.date("2020-04-01"))
        }
        try office.commit()
        let registry = office.registry
        let keys = try fixture.exportKeys(registry)
        var sizes: [UInt64] = []
        for size: UInt64 in [5, 256, 300, 512, 785] {
            if registry.size < size { try fixture.appendLeaves(Int(size - registry.size), to: registry, keys: keys) }
            #expect(registry.size == size)
            try fixture.export(registry, keys: keys)
            sizes.append(size)
            try Self.check(fixture.exportPath, exported: sizes)
        }
    }

    @Test func pathsFollowTheSpec() throws {
        #expect(Tiles.path(level: 0, index: 1_234_067, width: 256) == "tile/0/x001/x234/067")
        #expect(Tiles.path(level: 1, index: 0, width: 3) == "tile/1/000.p/3")
        #expect(Tiles.path(level: nil, index: 1000, width: 17) == "tile/entries/x001/000.p/17")
        #expect(Tiles.path(level: 2, index: 999, width: 256) == "tile/2/999")
        for index: UInt64 in [0, 7, 999, 1000, 1001, 999_999, 1_000_000, 1_234_067, 256_000_123_456, UInt64.max / 256] {
            for width: UInt64 in [1, 255, 256] {
                #expect(Self.parse(Tiles.path(level: 5, index: index, width: width)) == Tile(level: 5, index: index, width: Int(width)))
            }
        }
        for bad in ["tile/0/x000/005", "tile/0/1234", "tile/0/x1/234", "tile/00/000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07"] {
            #expect(Self.parse(bad) == nil, "\(bad)")
        }
        // A tree of 70,000 leaves, the spec's example: 273 full level 0 tiles and one of 112, one full
        // level 1 tile and one of 17, and one level 2 tile of 1.
        let shape = Self.tiles(size: 70_000).filter { $0.level != nil }
        #expect(shape.count == 273 + 1 + 1 + 1 + 1)
        #expect(shape.contains(Tile(level: 0, index: 273, width: 112)) && shape.contains(Tile(level: 1, index: 1, width: 17)))
        #expect(shape.contains(Tile(level: 2, index: 0, width: 1)) && shape.contains(Tile(level: 1, index: 0, width: 256)))
        for level in 0..<3 {
            let fromProject = Tiles.tiles(level: level, size: 70_000).map { Tile(level: level, index: $0.index, width: Int($0.width)) }
            #expect(Set(fromProject) == shape.filter { $0.level == level })
        }
    }
}
