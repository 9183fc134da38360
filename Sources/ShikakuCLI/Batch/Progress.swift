import Glibc

/// A progress line on standard error — rows, rate, elapsed — shown only when standard error is a terminal.
final class Progress {
    private let console: Console
    private let start = Progress.now()
    private var lastDrawn = 0.0
    private var visible = false

    init(console: Console) { self.console = console }

    /// Redraws at most ten times a second.
    func update(rows: Int) {
        let now = Progress.now()
        guard now - lastDrawn >= 0.1 else { return }
        lastDrawn = now
        let elapsed = max(now - start, 0.001)
        let rate = Double(rows) / elapsed
        console.writeError("\r\u{1B}[2K\(rows) rows, \(Int(rate)) rows/s, \(Int(elapsed)) s")
        visible = true
    }

    /// Erases the line.
    func clear() {
        guard visible else { return }
        console.writeError("\r\u{1B}[2K")
        visible = false
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
