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

extension Background {
    /// `work` done to `value` on another thread, in place: `value` is taken from the caller, who is left
    /// `emptied`, so that the work holds the only reference to its storage and changes it without a copy.
    static func changing(_ value: inout Value, emptied: Value, _ work: @escaping @Sendable (inout Value) -> Void) -> Background<Value> {
        let handoff = Handoff(value)
        value = emptied
        return Background {
            var taken = handoff.take()
            work(&taken)
            return taken
        }
    }
}

/// A value passed to one other thread, which takes it out: the only one to touch it after the hand-off.
private final class Handoff<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) { self.value = value }

    func take() -> Value {
        guard let value else { preconditionFailure("a hand-off is taken once") }
        self.value = nil
        return value
    }
}
