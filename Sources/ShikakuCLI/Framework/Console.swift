import Glibc
import ShikakuJSON

/// Where commands write: results to standard output, messages and progress to standard error.
///
/// Standard output is buffered here and written with `write(2)` in large pieces; standard
/// error is written at once, after flushing what standard output holds, so the two keep
/// their order on a terminal.
final class Console {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    deinit { flush() }

    /// Writes `text` to standard output as is.
    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes `value` to standard output as indented JSON and a newline.
    func write(json value: JSONValue) { write(value.prettyPrinted() + "\n") }

    /// Writes `value` as one compact line (JSON Lines).
    func writeLine(json value: JSONValue) { write(value.compact + "\n") }

    /// Writes `text` to standard error now.
    func writeError(_ text: String) {
        flush()
        Console.writeAll(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Whether standard error is a terminal (progress bars go there only then).
    var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes what standard output holds.
    func flush() {
        guard !buffer.isEmpty else { return }
        Console.writeAll(buffer, to: STDOUT_FILENO)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes`, retrying after interruptions and partial writes. A closed pipe (EPIPE)
    /// ends the output quietly: the reader has gone.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
