import Dispatch
import Foundation
import Synchronization

/// What went wrong in a benchmark run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
}

/// Seconds since some fixed moment.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Seconds `work` takes.
func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = now()
    try work()
    return now() - start
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// The value below which `fraction` of `values` lie.
func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

/// The process's peak resident memory in bytes (`VmHWM`).
func peakMemory() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes * 1024
}

/// Runs `work` over `count` items on `cores` threads, each taking the next chunk of 256 items when it is free
/// (as the registry's parallel work does); returns items per second. A machine that slows one core for a while
/// then leaves its share to the other rather than making it wait, as `openssl speed -multi` counts what each
/// process did in the time.
func rate(count: Int, cores: Int, _ work: @escaping @Sendable (Range<Int>) throws -> Void) throws -> Double {
    let chunk = 256
    let next = Atomic<Int>(0)
    let failures = Failures()
    let elapsed = seconds {
        DispatchQueue.concurrentPerform(iterations: cores) { _ in
            while case let start = next.add(chunk, ordering: .relaxed).oldValue, start < count {
                do {
                    try work(start..<min(count, start + chunk))
                } catch {
                    failures.add("\(error)")
                    return
                }
            }
        }
    }
    if let first = failures.first { throw BenchError(description: first) }
    return Double(count) / elapsed
}

/// Errors from worker threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var first: String? { lock.withLock { messages.first } }
}

/// Slots each written by one thread and read after the threads join: a fixed buffer, so that no thread
/// touches another's memory (a Swift array's copy-on-write check would).
final class Slots<Element>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Element?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
    subscript(index: Int) -> Element? {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }
}

/// A JSON object of figures, in the order given.
func figures(_ pairs: [(String, Double)]) -> String {
    "{" + pairs.map { "\"\($0.0)\": \($0.1.isFinite ? String(format: "%.6g", $0.1) : "null")" }.joined(separator: ", ") + "}"
}
