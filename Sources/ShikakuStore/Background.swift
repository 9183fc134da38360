import Dispatch

/// Work started on another thread now and waited for later: a pipeline's next stage runs while this
/// thread finishes the stage before.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    // Written once, by the work, before `done` is left; read only after waiting on it.
    private var value: Value?

    /// Starts `work`.
    init(_ work: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.value = work()
            self.done.leave()
        }
    }

    /// What the work returned, once it has.
    func wait() -> Value {
        done.wait()
        guard let value else { preconditionFailure("the work left its group without a value") }
        return value
    }
}
