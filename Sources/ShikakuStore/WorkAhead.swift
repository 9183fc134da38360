import Dispatch

/// Work handed to a worker thread piece by piece as it becomes ready, while this thread goes on producing
/// it; ``finish()`` then works through the pieces the worker has not started, on every core, and returns every
/// result in order. How a batch signs the credentials of the rows checked so far while it checks the rest,
/// instead of leaving a core idle until the commit.
public final class WorkAhead<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let work: @Sendable (Input) -> [Output]
    private let queue = DispatchQueue(label: "shikaku.work-ahead")
    private let running = DispatchGroup()
    private let lock = Mutex()
    // Guarded by `lock`: the pieces not started, with the slot each fills, and the slots.
    private var waiting: [(slot: Int, input: Input)] = []
    private var results: [[Output]?] = []

    /// A worker that runs `work` on each piece submitted.
    public init(_ work: @escaping @Sendable (Input) -> [Output]) { self.work = work }

    /// Hands `input` to the worker.
    public func submit(_ input: Input) {
        lock.withLock {
            waiting.append((results.count, input))
            results.append(nil)
        }
        queue.async(group: running) { self.runNext() }
    }

    /// Runs the oldest piece not started, if there is one.
    private func runNext() {
        guard let next = lock.withLock({ waiting.isEmpty ? nil : waiting.removeFirst() }) else { return }
        run(next)
    }

    private func run(_ piece: (slot: Int, input: Input)) {
        let output = work(piece.input)
        lock.withLock { results[piece.slot] = output }
    }

    /// Runs the pieces the worker has not started on every core, waits for the one it is on, and returns
    /// the outputs of every piece submitted, in order; then starts empty.
    public func finish() -> [Output] {
        let left = lock.withLock {
            defer { waiting.removeAll() }
            return waiting
        }
        DispatchQueue.concurrentPerform(iterations: left.count) { run(left[$0]) }
        running.wait()
        return lock.withLock {
            defer { results.removeAll() }
            return results.flatMap { output in
                guard let output else { preconditionFailure("a piece was run without leaving its output") }
                return output
            }
        }
    }

    /// Drops the pieces not started, waits for the one the worker is on, and starts empty.
    public func cancel() {
        lock.withLock { waiting.removeAll() }
        running.wait()
        lock.withLock { results.removeAll() }
    }
}
