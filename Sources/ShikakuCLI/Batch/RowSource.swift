import Glibc
import ShikakuJSON

/// One data row of a batch file: its line number and its fields by column name.
struct BatchRow {
    /// The line the row starts on (the header is line 1 of a CSV file).
    let line: Int
    /// The fields, by column (or JSON member) name; empty fields are absent.
    let fields: [String: String]
}

/// A problem with the file itself (not one row's content): unbalanced quotes, wrong column count,
/// invalid UTF-8. It names the line.
struct RowError: Error {
    let line: Int
    let message: String
}

/// Reads a batch file row by row in constant memory: CSV with a header (RFC 4180: UTF-8 with or without
/// BOM, CRLF or LF, quoted fields with doubled quotes) or JSON Lines (one object a line).
final class RowSource {
    enum Format { case csv, jsonLines }

    private let descriptor: Int32
    private let closeWhenDone: Bool
    let format: Format
    private var buffer: [UInt8] = []
    private var position = 0
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
        self.format = format ?? (path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? .jsonLines : .csv)
    }

    deinit { if closeWhenDone { close(descriptor) } }

    /// The next row, or `nil` at the end.
    /// - Throws: ``RowError`` for a malformed file, naming the line.
    func next() throws -> BatchRow? {
        switch format {
        case .csv: try nextCSV()
        case .jsonLines: try nextJSON()
        }
    }

    // MARK: CSV (RFC 4180)

    private func nextCSV() throws -> BatchRow? {
        if header == nil {
            guard let names = try readRecord() else { throw RowError(line: 1, message: "the file is empty: a CSV batch starts with a header row") }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }), Set(names).count == names.count else {
                throw RowError(line: 1, message: "the header row must name every column once")
            }
            header = names
        }
        guard let header else { return nil }
        while true {
            let start = line
            guard let values = try readRecord() else { return nil }
            if values == [""] { continue }
            guard values.count == header.count else {
                throw RowError(line: start, message: "the row has \(values.count) fields but the header has \(header.count)")
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(header, values) where !value.isEmpty { fields[name] = value }
            return BatchRow(line: start, fields: fields)
        }
    }

    /// Where the CSV reader is within a record.
    private enum CSVState { case fieldStart, unquoted, quoted, afterQuoted }

    /// One CSV record's fields, or `nil` at the end of the file.
    private func readRecord() throws -> [String]? {
        try skipBOM()
        guard try peek() != nil else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var state = CSVState.fieldStart
        func endField() throws {
            fields.append(try text(field, line: start))
            field.removeAll(keepingCapacity: true)
            state = .fieldStart
        }
        while let byte = try peek() {
            advance()
            switch (state, byte) {
            case (.quoted, UInt8(ascii: "\"")):
                if try peek() == UInt8(ascii: "\"") {
                    field.append(byte)
                    advance()
                } else {
                    state = .afterQuoted
                }
            case (.quoted, _):
                if byte == 0x0A { line += 1 }
                field.append(byte)
            case (.fieldStart, UInt8(ascii: "\"")):
                state = .quoted
            case (_, UInt8(ascii: ",")):
                try endField()
            case (_, 0x0D), (_, 0x0A):
                if byte == 0x0D, try peek() == 0x0A { advance() }
                line += 1
                try endField()
                return fields
            case (.unquoted, UInt8(ascii: "\"")):
                throw RowError(line: line, message: "a quote inside an unquoted field; quote the whole field and double the quote")
            case (.afterQuoted, _):
                throw RowError(line: line, message: "text after a closing quote; a quoted field ends at its quote")
            default:
                field.append(byte)
                state = .unquoted
            }
        }
        if state == .quoted { throw RowError(line: start, message: "a quoted field is never closed (unbalanced quotes)") }
        try endField()
        return fields
    }

    private func text(_ bytes: [UInt8], line: Int) throws -> String {
        guard let value = String(validating: bytes, as: UTF8.self) else {
            throw RowError(line: line, message: "the row is not valid UTF-8; save the file as UTF-8")
        }
        return value
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

    private func nextJSON() throws -> BatchRow? {
        try skipBOM()
        while true {
            guard try peek() != nil else { return nil }
            let start = line
            var bytes: [UInt8] = []
            while let byte = try peek() {
                advance()
                if byte == 0x0A { break }
                bytes.append(byte)
            }
            line += 1
            if bytes.last == 0x0D { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do {
                value = try JSONValue.parse(bytes)
            } catch {
                throw RowError(line: start, message: "not a JSON object: \(error.message)")
            }
            guard case .object(let object) = value else { throw RowError(line: start, message: "each line must be a JSON object") }
            var fields: [String: String] = [:]
            for member in object {
                switch member.value {
                case .null: continue
                case .string(let text): if !text.isEmpty { fields[member.key] = text }
                case .bool(let flag): fields[member.key] = flag ? "true" : "false"
                case .number(let number): fields[member.key] = number.lexeme
                case .array, .object: throw RowError(line: start, message: "\(member.key): nested arrays and objects are not allowed; use strings")
                }
            }
            return BatchRow(line: start, fields: fields)
        }
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
