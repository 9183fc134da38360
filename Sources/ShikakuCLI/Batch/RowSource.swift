import Glibc
import ShikakuJSON

/// One data row of a batch file: its line number and its fields by column name.
struct BatchRow {
    /// The line the row starts on (the header is line 1 of a CSV file).
    let line: Int
    /// The fields, by column (or JSON member) name; empty fields are absent.
    let fields: [String: String]
    /// Of a JSON Lines row, the fields given as a JSON number or boolean rather than a string (by what they
    /// were), so that only the columns of those types take them.
    var typed: [String: JSONKind] = [:]

    /// What a JSON Lines field that is not a string was.
    enum JSONKind: String { case number, boolean }
}

/// The file cannot be read past `line`: a quoted field never closed, a header that names no columns, a row
/// too long to be one. Rows before it were read; nothing after it can be.
struct MalformedFile: Error {
    let line: Int
    let message: String
}

/// Reads a batch file row by row in constant memory: CSV with a header (RFC 4180: UTF-8 with or without
/// BOM, CRLF or LF, quoted fields with doubled quotes) or JSON Lines (one object a line).
///
/// A line that is malformed on its own — the wrong number of fields, invalid UTF-8, a stray quote, a JSON
/// line that is not an object — comes back as that row's ``RowFailure``, and reading goes on with the next
/// row. Only what leaves the rest of the file unreadable throws ``MalformedFile``.
final class RowSource {
    enum Format { case csv, jsonLines }

    /// The longest row read: past it a CSV file stops (a quote was surely left open), a JSON line is skipped.
    static let maxRowBytes = 1 << 20

    private let descriptor: Int32
    private let closeWhenDone: Bool
    let format: Format
    /// The file's size in bytes, when it is a regular file (not a pipe).
    let size: Int64?
    private var buffer: [UInt8] = []
    private var position = 0
    private var bufferStart: Int64 = 0
    private var atEnd = false
    private var line = 1
    private var header: [String]?
    private var checkedBOM = false

    /// Opens `path` (`-` for standard input); the format comes from `format` or the file's extension
    /// (`.jsonl`/`.ndjson` for JSON Lines, CSV otherwise).
    init(path: String, format: Format?) throws {
        if path == "-" {
            descriptor = STDIN_FILENO
            closeWhenDone = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw CLIError(.unreadableInput, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            closeWhenDone = true
        }
        var status = stat()
        size = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Int64(status.st_size) : nil
        self.format = format ?? (path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? .jsonLines : .csv)
    }

    deinit { if closeWhenDone { close(descriptor) } }

    /// How many bytes of the file have been read into rows so far.
    var bytesRead: Int64 { bufferStart + Int64(position) }

    /// The next row, a row that is malformed on its own, or `nil` at the end.
    /// - Throws: ``MalformedFile`` when the file cannot be read on; ``CLIError`` when reading fails.
    func next() throws -> Result<BatchRow, RowFailure>? {
        switch format {
        case .csv: try nextCSV()
        case .jsonLines: try nextJSON()
        }
    }

    // MARK: CSV (RFC 4180)

    private func nextCSV() throws -> Result<BatchRow, RowFailure>? {
        if header == nil {
            guard let record = try readRecord() else {
                throw MalformedFile(line: 1, message: "the file is empty: a CSV batch starts with a header row")
            }
            if let problem = record.problem { throw MalformedFile(line: 1, message: "the header row: \(problem.message)") }
            let names = record.fields
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }), Set(names).count == names.count else {
                throw MalformedFile(line: 1, message: "the header row must name every column once")
            }
            header = names
        }
        guard let header else { return nil }
        while true {
            let start = line
            guard let record = try readRecord() else { return nil }
            if record.fields == [""], record.problem == nil { continue }
            if let problem = record.problem {
                return .failure(RowFailure(line: start, field: column(problem.column, of: header), code: "input.malformed-row", message: problem.message))
            }
            let values = record.fields
            guard values.count == header.count else {
                let count = "the row has \(values.count) field\(values.count == 1 ? "" : "s") but the header has \(header.count)"
                if values.count < header.count {
                    let missing = header[values.count...].joined(separator: ", ")
                    return .failure(RowFailure(line: start, field: header[values.count], code: "input.malformed-row", message: "\(count): no \(missing)"))
                }
                return .failure(RowFailure(
                    line: start, field: column(header.count, of: header), code: "input.malformed-row",
                    message: "\(count) (\(header.joined(separator: ","))): quote a value that holds a comma"))
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(header, values) where !value.isEmpty { fields[name] = value }
            return .success(BatchRow(line: start, fields: fields))
        }
    }

    /// The header's name for the column at `index`, or `column N` past the header.
    private func column(_ index: Int, of header: [String]) -> String {
        index < header.count ? header[index] : "column \(index + 1)"
    }

    /// Where the CSV reader is within a record.
    private enum CSVState { case fieldStart, unquoted, quoted, afterQuoted }

    /// One CSV record: its fields, and the first thing wrong with it (the column and what), if anything.
    private struct Record {
        var fields: [String] = []
        var problem: (column: Int, message: String)?
    }

    /// The next CSV record, or `nil` at the end of the file. A record with a problem is read to its end, so
    /// that the next one starts where it should.
    private func readRecord() throws -> Record? {
        try skipBOM()
        guard try peek() != nil else { return nil }
        let start = line
        var record = Record()
        var field: [UInt8] = []
        var length = 0
        var state = CSVState.fieldStart
        func problem(_ message: String) {
            if record.problem == nil { record.problem = (record.fields.count, message) }
        }
        func endField() {
            if let text = String(validating: field, as: UTF8.self) {
                record.fields.append(text)
            } else {
                problem("the field is not valid UTF-8; save the file as UTF-8")
                record.fields.append("")
            }
            field.removeAll(keepingCapacity: true)
            state = .fieldStart
        }
        while let byte = try peek() {
            advance()
            length += 1
            guard length <= RowSource.maxRowBytes else {
                throw MalformedFile(
                    line: start, message: "the row starting here is longer than \(RowSource.maxRowBytes >> 20) MiB: is a quote left open?")
            }
            switch (state, byte) {
            case (.quoted, UInt8(ascii: "\"")):
                if try peek() == UInt8(ascii: "\"") {
                    field.append(byte)
                    advance()
                    length += 1
                } else {
                    state = .afterQuoted
                }
            case (.quoted, _):
                if byte == 0x0A { line += 1 }
                field.append(byte)
            case (.fieldStart, UInt8(ascii: "\"")):
                state = .quoted
            case (_, UInt8(ascii: ",")):
                endField()
            case (_, 0x0D), (_, 0x0A):
                if byte == 0x0D, try peek() == 0x0A { advance() }
                line += 1
                endField()
                return record
            case (.unquoted, UInt8(ascii: "\"")):
                problem("a quote inside an unquoted field; quote the whole field and double the quote")
                field.append(byte)
            case (.afterQuoted, _):
                problem("text after a closing quote; a quoted field ends at its quote")
                field.append(byte)
                state = .unquoted
            default:
                field.append(byte)
                state = .unquoted
            }
        }
        if state == .quoted {
            throw MalformedFile(
                line: start, message: "a quoted field opened here is never closed (unbalanced quotes), so the file cannot be read past it")
        }
        endField()
        return record
    }

    private func skipBOM() throws {
        guard !checkedBOM else { return }
        checkedBOM = true
        try fill(3)
        if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
            position += 3
        }
    }

    // MARK: JSON Lines

    private func nextJSON() throws -> Result<BatchRow, RowFailure>? {
        try skipBOM()
        while true {
            guard try peek() != nil else { return nil }
            let start = line
            var bytes: [UInt8] = []
            var tooLong = false
            while let byte = try peek() {
                advance()
                if byte == 0x0A { break }
                if bytes.count < RowSource.maxRowBytes { bytes.append(byte) } else { tooLong = true }
            }
            line += 1
            if tooLong {
                return .failure(RowFailure(
                    line: start, field: nil, code: "input.malformed-row", message: "the line is longer than \(RowSource.maxRowBytes >> 20) MiB"))
            }
            if bytes.last == 0x0D { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                return .success(try row(parsing: bytes, line: start))
            } catch {
                return .failure(error)
            }
        }
    }

    /// One JSON Lines row: an object whose members are strings, numbers, booleans or null.
    private func row(parsing bytes: [UInt8], line start: Int) throws(RowFailure) -> BatchRow {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw RowFailure(line: start, field: nil, code: "input.malformed-row", message: "not a JSON object: \(error.message)")
        }
        guard case .object(let object) = value else {
            throw RowFailure(line: start, field: nil, code: "input.malformed-row", message: "each line must be a JSON object")
        }
        var fields: [String: String] = [:]
        var typed: [String: BatchRow.JSONKind] = [:]
        for member in object {
            switch member.value {
            case .null: continue
            case .string(let text): if !text.isEmpty { fields[member.key] = text }
            case .bool(let flag):
                fields[member.key] = flag ? "true" : "false"
                typed[member.key] = .boolean
            case .number(let number):
                fields[member.key] = number.lexeme
                typed[member.key] = .number
            case .array, .object:
                throw RowFailure(
                    line: start, field: member.key, code: "input.malformed-row", message: "nested arrays and objects are not allowed; use strings")
            }
        }
        return BatchRow(line: start, fields: fields, typed: typed)
    }

    // MARK: Buffering

    private func peek() throws -> UInt8? {
        try fill(1)
        return position < buffer.count ? buffer[position] : nil
    }

    private func advance() { position += 1 }

    /// Makes sure `count` bytes are buffered unless the input ends first.
    private func fill(_ count: Int) throws {
        guard buffer.count - position < count, !atEnd else { return }
        buffer.removeFirst(position)
        bufferStart += Int64(position)
        position = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while buffer.count < count, !atEnd {
            let read = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw CLIError(.unreadableInput, "cannot read the batch file: \(String(cString: strerror(errno)))") }
            if read == 0 { atEnd = true } else { buffer += chunk[0..<read] }
        }
    }
}
