import Dispatch

/// Work split into chunks that run on every core, each writing only its own slots: how a batch reads ahead,
/// signs and encodes. A chunk, not an item, is the unit, so that per-chunk set-up (a signer) is paid once
/// a chunk and the threads hand off rarely.
public enum ParallelChunks {
    /// `work` run over `0..<count` in chunks of `chunk` items on every core; its results, in order. `work`
    /// gets a chunk's range and must return one result per index of it.
    public static func map<T>(count: Int, chunk: Int, _ work: @Sendable (Range<Int>) -> [T]) -> [T] {
        precondition(chunk > 0, "a chunk holds at least one item")
        let chunks = (count + chunk - 1) / chunk
        var results = [[T]](repeating: [], count: chunks)
        results.withUnsafeMutableBufferPointer { slots in
            let output = Slots(buffer: slots)
            DispatchQueue.concurrentPerform(iterations: chunks) { part in
                let range = part * chunk..<min(count, (part + 1) * chunk)
                let produced = work(range)
                precondition(produced.count == range.count, "one result per item")
                output.buffer[part] = produced
            }
        }
        return results.flatMap { $0 }
    }

    /// Lets each chunk write its own slot of one buffer; no two chunks share a slot.
    private struct Slots<Element>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Element>
    }
}
