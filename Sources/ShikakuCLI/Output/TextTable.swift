/// A table for people: columns aligned by display width, so 医師 and physician line up.
struct TextTable {
    /// The column headings.
    let headings: [String]
    private(set) var rows: [[String]] = []

    init(_ headings: [String]) { self.headings = headings }

    /// Adds a row; it must have one cell per heading.
    mutating func append(_ row: [String]) {
        precondition(row.count == headings.count, "table row has \(row.count) cells for \(headings.count) columns")
        rows.append(row)
    }

    /// The table as lines: headings, a rule, then the rows; two spaces between columns, no trailing spaces.
    func render() -> String {
        let all = [headings] + rows
        let widths = headings.indices.map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[index])
            }
            var text = padded.joined(separator: "  ")
            while text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
            return text
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headings), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// Label–value lines for one record, labels padded to one width: how `show` commands print.
struct FieldList {
    private(set) var fields: [(label: String, value: String)] = []

    /// Adds a field; values with several lines are indented under the first.
    mutating func append(_ label: String, _ value: String) { fields.append((label, value)) }

    /// Adds a field only when `value` is neither `nil` nor empty, else `fallback` when there is one.
    mutating func append(_ label: String, _ value: String?, default fallback: String? = nil) {
        if let value = value.flatMap({ $0.isEmpty ? nil : $0 }) ?? fallback { fields.append((label, value)) }
    }

    func render(indent: Int = 2) -> String {
        let width = fields.map { DisplayWidth.of($0.label) }.max() ?? 0
        let margin = String(repeating: " ", count: indent)
        let continuation = String(repeating: " ", count: indent + width + 2)
        return fields.map { field in
            let lines = field.value.split(separator: "\n", omittingEmptySubsequences: false)
            let first = margin + DisplayWidth.pad(field.label, to: width) + "  " + (lines.first.map(String.init) ?? "")
            return ([first] + lines.dropFirst().map { continuation + $0 }).joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }
}
