import Dispatch

/// Work handed to a worker thread piece by piece as it becomes ready, while this thread goes on producing
/// it; ``finish(pieces:)`` then works through the oldest pieces the worker has not started, on every core, and
/// returns their results in order. How a batch signs the credentials of the rows checked so far while it
/// checks the rest, and later groups' while it writes the one before, instead of leaving a core idle.
public final class WorkAhead<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let work: @Sendable (Input) -> [Output]
    private let queue = DispatchQueue(label: "shikaku.work-ahead")
    private let lock = Mutex()
    // Guarded by `lock`: the pieces not started, with the slot each fills, and every piece submitted and not
    // yet returned (slot `first` is the oldest), each with a group it leaves once its output is stored.
    private var waiting: [(slot: Int, input: Input)] = []
    private var pieces: [(done: DispatchGroup, output: [Output]?)] = []
    private var first = 0

    /// A worker that runs `work` on each piece submitted.
    public init(_ work: @escaping @Sendable (Input) -> [Output]) { self.work = work }

    /// Pieces submitted and not yet returned.
    public var count: Int { lock.withLock { pieces.count } }

    /// Hands `input` to the worker.
    public func submit(_ input: Input) {
        let done = DispatchGroup()
        done.enter()
        lock.withLock {
            waiting.append((first + pieces.count, input))
            pieces.append((done, nil))
        }
        queue.async { self.runNext() }
    }

    /// Runs the oldest piece not started, if there is one.
    private func runNext() {
        guard let next = lock.withLock({ waiting.isEmpty ? nil : waiting.removeFirst() }) else { return }
        run(next)
    }

    private func run(_ piece: (slot: Int, input: Input)) {
        let output = work(piece.input)
        let done = lock.withLock { () -> DispatchGroup in
            pieces[piece.slot - first].output = output
            return pieces[piece.slot - first].done
        }
        done.leave()
    }

    /// Runs those of the `count` oldest pieces the worker has not started on every core, waits for the one it
    /// is on if it is one of them, and returns their outputs in order; later pieces stay with the worker.
    public func finish(pieces count: Int) -> [Output] {
        let (left, groups) = lock.withLock {
            precondition(count <= pieces.count, "only \(pieces.count) pieces are waiting")
            let end = first + count
            let left = waiting.filter { $0.slot < end }
            waiting.removeAll { $0.slot < end }
            return (left, pieces.prefix(count).map(\.done))
        }
        DispatchQueue.concurrentPerform(iterations: left.count) { run(left[$0]) }
        for group in groups { group.wait() }
        return lock.withLock {
            defer {
                pieces.removeFirst(count)
                first += count
            }
            return pieces.prefix(count).flatMap { piece in
                guard let output = piece.output else { preconditionFailure("a piece was run without leaving its output") }
                return output
            }
        }
    }

    /// ``finish(pieces:)`` of every piece submitted.
    public func finish() -> [Output] { finish(pieces: count) }

    /// Drops the pieces not started, waits for the one the worker is on, and starts empty.
    public func cancel() {
        let (dropped, started) = lock.withLock {
            let dropped = Set(waiting.map(\.slot))
            waiting.removeAll()
            let groups = pieces.indices.map { (slot: first + $0, done: pieces[$0].done) }
            return (groups.filter { dropped.contains($0.slot) }, groups.filter { !dropped.contains($0.slot) })
        }
        // A group must not go while entered: a piece that will never run leaves its own.
        for piece in dropped { piece.done.leave() }
        for piece in started { piece.done.wait() }
        lock.withLock {
            first += pieces.count
            pieces.removeAll()
        }
    }
}
