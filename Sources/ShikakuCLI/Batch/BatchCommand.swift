import Glibc
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku batch ACTION FILE`: many rows, for scripts, safely re-runnable.
enum BatchCommand: Command {
    static let path = ["batch"]
    static let abstract = "Register, renew, report, suspend, revoke and the rest in bulk from CSV or JSON Lines; safe to re-run"
    static let usage = ["batch register|renew|report|suspend|reinstate|revoke|reissue|erase FILE [--dry-run] [--atomic] [--format csv|jsonl] [--json]"]
    static let positionals = 2...2
    static let discussion = """
        Reads FILE (- for standard input) row by row in constant memory: CSV with a header row (UTF-8 with or without
        BOM, CRLF or LF, RFC 4180 quoting) or JSON Lines (.jsonl: each value a string, but a year may be a number and
        practising or afterLapse a boolean). Columns (shikaku help batch ACTION says more):
          register   qualification, myNumber, name, kana, birthDate, [formerSurname, sex, exams, trainings, practice, date]
                     (exams and trainings: NAME@DATE;NAME@DATE; practice: BASIS:YEARS:DAYS)
          renew      registration, trainingDate, [afterLapse, date]
          report     registration, year, [workplace, practising, date]
          suspend    registration, from, until, reason, [kind, date]
          reinstate, revoke   registration, reason, [date]
          reissue    registration, reason (lost|damaged|rewrite), [date];   erase  registration, reason (death|application)

        """ + rules
    /// How every batch runs, whatever its action.
    static let rules = """
        Every row may have a key column. A row is done once: re-running the file reports rows done before as such
        and writes nothing twice (without a key, the row's content is its key). A bad row never spoils the others:
        bad data, a rule's refusal, or a line malformed on its own (the wrong number of fields, invalid UTF-8, a
        stray quote, a JSON line that is not an object) fails that row, named with its line and field, and the
        rest go on. Only a file that cannot be read on (a quoted field never closed) stops the batch: the rows
        before it are committed, and the error says where it stopped. With --atomic, all rows are committed or
        none. --dry-run checks everything and writes nothing. Rows are committed in groups of 1,000, each with one
        sync and one signed checkpoint, while later groups are checked; credentials are signed on every core.
        One result a line (JSON Lines with --json), then a summary. On a terminal, a progress bar with the time
        left goes to standard error.
        Exit codes: 0 every row done (or done before), 3 a row had bad data, 4 a row was refused by a rule.
        """
    static let options = OfficeRun.options.filter { $0.name != "out" } + [
        OptionSpec("dry-run", help: "check every row, write nothing"),
        OptionSpec("atomic", help: "commit all rows or none"),
        OptionSpec("format", value: "csv|jsonl", help: "the file's format (default: from its extension)"),
    ]
    static let examples = [
        Example(command: "shikaku batch renew renewals.csv --as tokyo", explanation: "renew care managers' cards"),
        Example(command: "shikaku batch register new.jsonl --json --dry-run", explanation: "check a registration file"),
        Example(command: "shikaku help batch renew", explanation: "the columns of one action"),
    ]

    static let groupSize = 1_000

    static func run(_ invocation: Invocation) throws -> ExitCode {
        guard let action = BatchAction(rawValue: invocation.positionals[0]) else { throw unknownAction(invocation.positionals[0]) }
        let format: RowSource.Format? =
            switch invocation.option("format") {
            case nil: nil
            case "csv": .csv
            case "jsonl", "ndjson": .jsonLines
            case let other?: throw CLIError(.invalidValue, "--format \"\(other)\" is not csv or jsonl", command: path)
            }
        let source = try RowSource(path: invocation.positionals[1], format: format)
        let office = try RegistryAccess.office(invocation)
        let atomic = invocation.flag("atomic")
        let dryRun = invocation.flag("dry-run")
        office.signsAhead = !dryRun
        var run = BatchRun(action: action, office: office, invocation: invocation, size: source.size)
        var stopped: MalformedFile?
        var ended = false
        while !ended {
            // A group is read ahead, so that the registrations it names are read on every core before its rows are
            // checked one by one.
            var group: [Result<BatchRow, RowFailure>] = []
            do {
                while group.count < BatchCommand.groupSize {
                    guard let read = try source.next() else {
                        ended = true
                        break
                    }
                    group.append(read)
                }
            } catch let error as MalformedFile {
                // The rows before it stand on their own: commit them (unless all or none was asked for), then say where it stopped.
                stopped = error
                ended = true
            }
            if action != .register {
                // A row done before is answered from the index alone: its registration need not be read.
                office.prefetch(group.compactMap { read in
                    guard case .success(let row) = read, let text = row.fields["registration"], !run.wasDone(row) else { return nil }
                    return try? RegistrationID(parsing: text)
                })
            }
            for read in group {
                switch read {
                case .success(let row): try run.take(row)
                case .failure(let failure): run.reject(failure)
                }
                // All or none, and one failed: nothing will be written, so nothing more is signed.
                if atomic, run.summary.failed > 0 { office.signsAhead = false }
            }
            // The group is committed once the next one is checked, so that its signing overlaps this one's writing.
            if !atomic, !dryRun { try run.closeGroup() }
            run.showProgress(bytesRead: source.bytesRead)
        }
        let writes = !dryRun && !(atomic && (run.summary.failed > 0 || stopped != nil))
        if writes {
            try run.commit()
        } else {
            office.discard()
        }
        run.finish(committed: writes, stoppedAt: stopped?.line)
        if let stopped {
            let outcome =
                if writes {
                    (run.summary.done == 0 ? "no row before it was written" : (run.summary.done == 1 ? "the 1 row done before it was committed" : "the \(run.summary.done) rows done before it were committed"))
                        + "; fix the file and run it again (rows done are reported as done before)"
                }
                else if dryRun { "nothing was written (dry run)" }
                else { "nothing was written (--atomic)" }
            throw CLIError(.malformedFile, "line \(stopped.line): \(stopped.message). Reading stopped there; \(outcome)")
        }
        return run.exitCode
    }
}

/// The state of one batch run: rows waiting for their commit, counts, the progress line.
struct BatchRun {
    struct Summary {
        var rows = 0
        var done = 0
        var alreadyDone = 0
        var failed = 0
        var badInput = 0
    }

    let action: BatchAction
    let office: Office
    let invocation: Invocation
    var summary = Summary()
    /// Rows since the last commit, in order: taken into the office's batch (by request key), or already answered.
    var pending: [(line: Int, result: RowResult)] = []

    /// What is known of a row before its group is committed.
    enum RowResult {
        case taken(SHA256.Digest)
        /// The twin of a row taken earlier in this run and not yet committed: done before, at the place its
        /// twin is committed to.
        case twin(SHA256.Digest)
        case answered(RowReport)
    }
    /// Request keys of rows taken and not yet committed. Once a row is committed the index answers for it, so
    /// the set holds no more than the groups in flight, however long the file.
    private var seen: Set<SHA256.Digest> = []
    /// Request keys of rows read ahead (rows whose key needs no holder key) and whether an earlier run did them,
    /// so that taking them computes and looks up none again: this run's own rows are in `seen`.
    private var keysAhead: [Int: (key: SHA256.Digest, doneBefore: Bool)] = [:]

    /// Whether `row` (one whose key needs no holder key) was done before, by this run or an earlier one. A key
    /// that cannot be looked up says no: taking the row then reports why.
    mutating func wasDone(_ row: BatchRow) -> Bool {
        let key = BatchRun.requestKey(action: action, row: row, holderKey: nil)
        if seen.contains(key) { return true }
        guard let doneBefore = try? office.registry.hasRequest(key) else { return false }
        keysAhead[row.line] = (key, doneBefore)
        return doneBefore
    }
    private let progress: Progress?

    init(action: BatchAction, office: Office, invocation: Invocation, size: Int64?) {
        self.action = action
        self.office = office
        self.invocation = invocation
        progress = invocation.console.errorIsTerminal ? Progress(console: invocation.console, totalBytes: size) : nil
    }

    /// Redraws the progress bar, when there is one.
    func showProgress(bytesRead: Int64) {
        progress?.update(rows: summary.rows, bytesRead: bytesRead)
    }

    /// Counts a row the file could not give (wrong field count, invalid UTF-8, not a JSON object) as failed.
    mutating func reject(_ failure: RowFailure) {
        summary.rows += 1
        fail(line: failure.line, field: failure.field, code: failure.code, message: failure.message)
    }

    /// Checks a row and takes it into the batch, or reports why not.
    mutating func take(_ row: BatchRow) throws {
        summary.rows += 1
        var request: SHA256.Digest?
        do {
            let ahead = keysAhead.removeValue(forKey: row.line)
            request = try action.apply(row, office: office) { holderKey in
                if holderKey == nil, let ahead {
                    if ahead.doneBefore || seen.contains(ahead.key) { throw AlreadyDone(request: ahead.key) }
                    return ahead.key
                }
                let key = BatchRun.requestKey(action: action, row: row, holderKey: holderKey)
                if try seen.contains(key) || office.registry.hasRequest(key) { throw AlreadyDone(request: key) }
                return key
            }
        } catch let done as AlreadyDone {
            summary.alreadyDone += 1
            if seen.contains(done.request) {
                pending.append((row.line, .twin(done.request)))
            } else {
                pending.append((row.line, .answered(.alreadyDone(place: try place(of: done.request)))))
            }
            return
        } catch let failure as RowFailure {
            fail(line: failure.line, field: failure.field, code: failure.code, message: failure.message)
            return
        } catch let error as StoreError {
            throw error
        } catch {
            let (code, message, _) = CLI.describe(error)
            fail(line: row.line, field: nil, code: code, message: message)
            return
        }
        if let request {
            seen.insert(request)
            pending.append((row.line, .taken(request)))
        }
    }

    private mutating func fail(line: Int, field: String?, code: String, message: String) {
        summary.failed += 1
        if code.hasPrefix("input.") || code.hasPrefix("usage.") || code.hasPrefix("json.") { summary.badInput += 1 }
        pending.append((line, .answered(.failed(code: code, field: field, message: message))))
    }

    /// Where each closed group of rows ends in `pending`, oldest first.
    private var groupEnds: [Int] = []
    /// Closed groups left to be signed while the one before them is committed. With one, the worker ran out
    /// of rows to sign while this thread waited on a group's syncs (for a second of a 100,000-row renewal's
    /// six; with two, a third of a second).
    static let groupsSignedAhead = 2

    /// Ends the group of rows read since the last, and commits the oldest of the groups in flight.
    mutating func closeGroup() throws {
        office.closeGroup()
        groupEnds.append(pending.count)
        guard groupEnds.count > BatchRun.groupsSignedAhead else { return }
        let end = groupEnds.removeFirst()
        do {
            try commit(rows: end, .oldestGroup)
        } catch {
            // Nothing after the rows reported done is written (the office dropped it, or stops on a poisoned
            // registry): the rows checked since say so before the error.
            reportPending(taken: "not-written")
            throw error
        }
        groupEnds = groupEnds.map { $0 - end }
    }

    /// Commits every row taken so far and reports every row since the last commit, in order.
    mutating func commit() throws {
        groupEnds.removeAll()
        do {
            try commit(rows: pending.count, .all)
        } catch {
            reportPending(taken: "not-written")
            throw error
        }
    }

    /// Where the row done under `request` was recorded, when the registry has it.
    private func place(of request: SHA256.Digest) throws -> (registration: String, logIndex: Int)? {
        try office.registry.requestPlace(request).flatMap { place in
            place.registration.map { (registration: $0.description, logIndex: Int(place.sequence)) }
        }
    }

    /// Commits the office's `scope`, which holds the rows taken among the first `count` pending, and reports
    /// those rows in order.
    private mutating func commit(rows count: Int, _ scope: Office.CommitScope) throws {
        var byRequest: [SHA256.Digest: Office.Outcome] = [:]
        var unsigned: OfficeError?
        if pending[..<count].contains(where: { if case .taken = $0.result { true } else { false } }) {
            let committed = try office.commitKeepingOutcomes(scope)
            byRequest.reserveCapacity(committed.outcomes.count)
            for outcome in committed.outcomes { if let request = outcome.request { byRequest[request] = outcome } }
            unsigned = committed.unsigned
        }
        for (line, result) in pending[..<count] {
            switch result {
            case .answered(let report):
                emit(line: line, report)
            case .taken(let request):
                guard let outcome = byRequest[request] else { continue }
                seen.remove(request)
                summary.done += 1
                emit(line: line, .done(registration: outcome.id.description, logIndex: Int(outcome.sequence), credential: outcome.credential?.hashText))
            case .twin(let request):
                // Its twin came first, so it is committed by now, in this group or one before.
                let place = try byRequest[request].map { (registration: $0.id.description, logIndex: Int($0.sequence)) } ?? self.place(of: request)
                emit(line: line, .alreadyDone(place: place))
            }
        }
        pending.removeFirst(count)
        if let unsigned { throw unsigned }
    }

    /// Reports every pending row, those taken into the office's batch as `taken`; returns how many those were.
    @discardableResult
    private mutating func reportPending(taken: String) -> Int {
        var count = 0
        for (line, result) in pending {
            switch result {
            case .answered(let report): emit(line: line, report)
            case .twin: emit(line: line, .alreadyDone(place: nil))
            case .taken:
                count += 1
                emit(line: line, .unwritten(outcome: taken))
            }
        }
        pending.removeAll()
        return count
    }

    /// Prints the summary (and, for rows never committed, says so).
    mutating func finish(committed: Bool, stoppedAt: Int? = nil) {
        progress?.clear()
        var notWritten: Int?
        if !committed {
            let checked = reportPending(taken: invocation.flag("dry-run") ? "checked" : "not-written")
            summary.done = 0
            notWritten = invocation.flag("atomic") && summary.failed > 0 && stoppedAt == nil ? checked : nil
        }
        var counts: JSONObject = [
            "rows": .number(JSONNumber(summary.rows)), "done": .number(JSONNumber(summary.done)),
            "alreadyDone": .number(JSONNumber(summary.alreadyDone)), "failed": .number(JSONNumber(summary.failed)),
            // Whether anything was: rows done before, and rows that failed, write nothing.
            "written": .bool(committed && summary.done > 0),
        ]
        if let stoppedAt { counts["stoppedAtLine"] = .number(JSONNumber(stoppedAt)) }
        if invocation.json {
            invocation.console.writeLine(json: ["summary": .object(counts)])
        } else {
            let mode = invocation.flag("dry-run") ? " (dry run: nothing written)" : ""
            let stop = stoppedAt.map { "; the file could not be read past line \($0)" } ?? ""
            invocation.console.write(
                "\(summary.rows) rows: \(summary.done) done, \(summary.alreadyDone) done before, \(summary.failed) failed\(mode)\(stop)\n")
        }
        if let notWritten {
            let failed = summary.failed == 1 ? "1 row failed" : "\(summary.failed) rows failed"
            let fine = notWritten == 1 ? "1 was fine" : "\(notWritten) were fine"
            invocation.console.writeError("Nothing was written: --atomic, and \(failed) (\(fine)). Fix the failed rows and run the file again.\n")
        }
    }

    var exitCode: ExitCode {
        if summary.badInput > 0 { return .badInput }
        if summary.failed > 0 { return .refused }
        return .success
    }

    private func emit(line: Int, _ report: RowReport) {
        if invocation.json {
            invocation.console.writeLine(json: report.json(line: line))
            return
        }
        progress?.clear()
        invocation.console.write(report.text(line: line) + "\n")
    }

    /// The row's request key: SHA-256 over the action and the row's key column, or its content — with the holder
    /// key in place of the My Number, which must not be stored in any form but the holder key.
    static func requestKey(action: BatchAction, row: BatchRow, holderKey: String?) -> SHA256.Digest {
        var material = Array("shikaku-batch-v1\n\(action.rawValue)\n".utf8)
        if let key = row.fields["key"] {
            material += "key:".utf8
            material += key.utf8
        } else {
            // The canonical form orders the members itself.
            var object = JSONObject()
            for (name, value) in row.fields where name != "myNumber" { object[name] = .string(value) }
            if let holderKey { object["holderKey"] = .string(holderKey) }
            material += "row:".utf8
            material += JSONValue.object(object).canonicalBytes
        }
        return SHA256.hash(material)
    }
}

/// Thrown when a row's request key was done before.
struct AlreadyDone: Error {
    let request: SHA256.Digest
}

