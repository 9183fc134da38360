/// C2SP tlog-tiles paths and shapes: hash tiles of 256 hashes at every 8th level of the tree, and entry
/// bundles of 256 leaves, so that any web server can serve the log as static files.
public enum Tiles {
    /// Hashes (or entries) per full tile.
    public static let width: UInt64 = 256

    /// `<N>` as the spec writes it: 3-digit groups, each but the last prefixed with `x` (1234067 → x001/x234/067).
    public static func indexPath(_ n: UInt64) -> String {
        var groups: [String] = []
        var value = n
        repeat {
            let group = String(value % 1000)
            groups.insert(String(repeating: "0", count: 3 - group.count) + group, at: 0)
            value /= 1000
        } while value > 0
        return groups.enumerated().map { $0.offset < groups.count - 1 ? "x" + $0.element : $0.element }.joined(separator: "/")
    }

    /// The tiles at tile level `level` for a tree of `size` leaves: (index, width) for each, the last partial.
    public static func tiles(level: Int, size: UInt64) -> [(index: UInt64, width: UInt64)] {
        let hashes = size >> (8 * UInt64(level))
        var result: [(UInt64, UInt64)] = (0..<hashes / width).map { ($0, width) }
        if hashes % width > 0 { result.append((hashes / width, hashes % width)) }
        return result
    }

    /// The path of a hash tile (`tile/<L>/<N>[.p/<W>]`) or, with `level` nil, of an entry bundle.
    public static func path(level: Int?, index: UInt64, width: UInt64) -> String {
        let base = "tile/" + (level.map(String.init) ?? "entries") + "/" + indexPath(index)
        return width == Tiles.width ? base : base + ".p/\(width)"
    }
}

extension Registry {
    /// The hashes of hash tile (`level`, `index`, `width`): stored hashes at tree level 8·level.
    public func tileHashes(level: Int, index: UInt64, width: UInt64) throws(StoreError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(width) * 32)
        for position in index * Tiles.width..<index * Tiles.width + width {
            bytes += try hashes.storedHash(level: 8 * level, index: position).bytes
        }
        return bytes
    }
}
