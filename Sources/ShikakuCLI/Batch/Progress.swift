import Glibc

/// A progress line on standard error — a bar, rows, rate and time left — shown only when standard error is a
/// terminal (``BatchRun`` makes none otherwise, so scripts and logs never see it).
///
///     [##########--------------------]  34%  12,034 rows  2,210 rows/s  about 0:42 left
///
/// The share done and the time left come from the bytes read against the file's size; reading from a
/// pipe, whose size is unknown, shows rows, rate and time taken instead.
final class Progress {
    private let console: Console
    private let totalBytes: Int64?
    private let start = Progress.now()
    private var lastDrawn = -Double.infinity
    private var visible = false

    /// A progress line for a file of `totalBytes` (`nil` when unknown).
    init(console: Console, totalBytes: Int64?) {
        self.console = console
        self.totalBytes = totalBytes.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Redraws at most ten times a second (and at once the first time).
    func update(rows: Int, bytesRead: Int64) {
        let now = Progress.now()
        guard now - lastDrawn >= 0.1 else { return }
        lastDrawn = now
        console.writeError("\r\u{1B}[2K" + Progress.line(rows: rows, bytesRead: bytesRead, totalBytes: totalBytes, elapsed: now - start))
        visible = true
    }

    /// Erases the line.
    func clear() {
        guard visible else { return }
        console.writeError("\r\u{1B}[2K")
        visible = false
    }

    /// The text of the line, without the escape codes that redraw it.
    static func line(rows: Int, bytesRead: Int64, totalBytes: Int64?, elapsed: Double) -> String {
        let elapsed = max(elapsed, 0.001)
        let rate = "\(grouped(Int(Double(rows) / elapsed))) rows/s"
        guard let totalBytes else { return "\(grouped(rows)) rows  \(rate)  \(clock(elapsed)) so far" }
        let share = min(1, Double(bytesRead) / Double(totalBytes))
        let width = 30
        let filled = Int(share * Double(width))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        let percent = String(Int(share * 100))
        let left = share > 0 ? "about \(clock(elapsed * (1 - share) / share)) left" : "estimating time left"
        return "\(bar) \(String(repeating: " ", count: 3 - percent.count))\(percent)%  \(grouped(rows)) rows  \(rate)  \(left)"
    }

    /// `12,345`.
    static func grouped(_ value: Int) -> String {
        var digits = String(max(0, value))
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(Substring(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([Substring(digits)] + groups).joined(separator: ",")
    }

    /// `1:05:09` or `4:02`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
