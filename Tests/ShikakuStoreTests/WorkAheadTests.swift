import Glibc
import ShikakuStore
import Testing

/// Work handed ahead comes back whole and in order, whether the worker ran it, the finishing thread did,
/// or both; cancelled work leaves nothing for the next round.
@Suite struct WorkAheadTests {
    /// Each piece is a range; its output, the squares of its numbers, after a pause that lets the
    /// submitting thread get ahead of the worker.
    static func squares(pauseMicroseconds: UInt32) -> WorkAhead<Range<Int>, Int> {
        WorkAhead { range in
            usleep(pauseMicroseconds)
            return range.map { $0 * $0 }
        }
    }

    @Test(arguments: [0, 200])
    func outputsComeBackInOrderOfSubmission(pause: UInt32) {
        let work = Self.squares(pauseMicroseconds: pause)
        for round in 0..<20 {
            let pieces = (0..<(round % 7 + 1)).map { $0 * 10..<$0 * 10 + 1 + $0 % 3 }
            for piece in pieces { work.submit(piece) }
            #expect(work.finish() == pieces.flatMap { $0.map { $0 * $0 } }, "round \(round)")
        }
        #expect(work.finish().isEmpty)
    }

    /// Finishing the oldest pieces leaves the later ones with the worker, whose outputs come next, in order.
    @Test(arguments: [0, 200])
    func theOldestPiecesFinishFirst(pause: UInt32) {
        let work = Self.squares(pauseMicroseconds: pause)
        for round in 0..<20 {
            let pieces = (0..<(round % 5 + 2)).map { round * 100 + $0 * 10..<round * 100 + $0 * 10 + 2 }
            let early = round % (pieces.count - 1) + 1
            for piece in pieces { work.submit(piece) }
            #expect(work.finish(pieces: early) == pieces.prefix(early).flatMap { $0.map { $0 * $0 } }, "round \(round)")
            #expect(work.count == pieces.count - early)
            work.submit(7..<8)
            #expect(work.finish() == pieces.dropFirst(early).flatMap { $0.map { $0 * $0 } } + [49], "round \(round)")
        }
    }

    @Test func cancelledWorkLeavesNothingBehind() {
        let work = Self.squares(pauseMicroseconds: 500)
        for n in 0..<50 { work.submit(n..<n + 1) }
        work.cancel()
        work.submit(7..<9)
        #expect(work.finish() == [49, 64])
    }
}
