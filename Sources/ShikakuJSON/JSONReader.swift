/// Typed access to parsed JSON that knows where each value came from, so that errors say which
/// member is wrong: `$.qualifications[3].law: expected a string, found a number`.
///
/// Subscripts never fail; a missing member shows up when its value is asked for.
public struct JSONReader: Sendable {
    /// The value, or `nil` when the member or element is absent.
    public let value: JSONValue?
    /// How this value was reached; spelled out only for an error, since reading a record takes dozens of steps.
    private let steps: Steps

    private indirect enum Steps: Sendable {
        case root(String)
        case member(Steps, String)
        case element(Steps, Int)

        var path: String {
            switch self {
            case .root(let name): name
            case .member(let parent, let key): "\(parent.path).\(key)"
            case .element(let parent, let index): "\(parent.path)[\(index)]"
            }
        }
    }

    /// The path of this value from the root (`$`).
    public var path: String { steps.path }

    /// Reads `value`, whose path is `path`.
    public init(_ value: JSONValue, path: String = "$") {
        self.init(value: value, steps: .root(path))
    }

    private init(value: JSONValue?, steps: Steps) {
        self.value = value
        self.steps = steps
    }

    /// The member named `key` (absent if this is not an object or has no such member).
    public subscript(key: String) -> JSONReader {
        JSONReader(value: value?.objectValue?[key], steps: .member(steps, key))
    }

    /// The element at `index` (absent if this is not an array or is too short).
    public subscript(index: Int) -> JSONReader {
        let element = value?.arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : Optional<JSONValue>.none }
        return JSONReader(value: element, steps: .element(steps, index))
    }

    /// Whether the value is absent or `null`.
    public var isAbsentOrNull: Bool { value?.isNull ?? true }

    /// The string.
    /// - Throws: `json.missing-member` or `json.type-mismatch`.
    public func string() throws(JSONError) -> String {
        guard let text = try present("a string").stringValue else { throw mismatch("a string") }
        return text
    }

    /// The string, or `nil` when absent or `null`.
    /// - Throws: `json.type-mismatch` for another type.
    public func optionalString() throws(JSONError) -> String? { isAbsentOrNull ? nil : try string() }

    /// The exact integer (`1.5`, `1e400` and integers beyond ±2⁵³ fail).
    /// - Throws: `json.missing-member` or `json.type-mismatch`.
    public func int() throws(JSONError) -> Int {
        guard let number = try present("an integer").intValue else { throw mismatch("an integer") }
        return number
    }

    /// The integer, or `nil` when absent or `null`.
    /// - Throws: `json.type-mismatch` for another type.
    public func optionalInt() throws(JSONError) -> Int? { isAbsentOrNull ? nil : try int() }

    /// The Boolean.
    /// - Throws: `json.missing-member` or `json.type-mismatch`.
    public func bool() throws(JSONError) -> Bool {
        guard let flag = try present("true or false").boolValue else { throw mismatch("true or false") }
        return flag
    }

    /// The Boolean, or `nil` when absent or `null`.
    /// - Throws: `json.type-mismatch` for another type.
    public func optionalBool() throws(JSONError) -> Bool? { isAbsentOrNull ? nil : try bool() }

    /// The elements, each with its path.
    /// - Throws: `json.missing-member` or `json.type-mismatch`.
    public func array() throws(JSONError) -> [JSONReader] {
        guard let elements = try present("an array").arrayValue else { throw mismatch("an array") }
        return elements.indices.map { self[$0] }
    }

    /// The elements, or `nil` when absent or `null`.
    /// - Throws: `json.type-mismatch` for another type.
    public func optionalArray() throws(JSONError) -> [JSONReader]? { isAbsentOrNull ? nil : try array() }

    /// The object.
    /// - Throws: `json.missing-member` or `json.type-mismatch`.
    public func object() throws(JSONError) -> JSONObject {
        guard let object = try present("an object").objectValue else { throw mismatch("an object") }
        return object
    }

    /// Fails naming the first member whose name is not in `known`: for strict schemas.
    /// - Throws: `json.unknown-member`, or what ``object()`` throws.
    public func rejectUnknownMembers(_ known: Set<String>) throws(JSONError) {
        for member in try object() where !known.contains(member.key) {
            throw JSONError(.unknownMember, "unknown member \"\(member.key)\"", path: path)
        }
    }

    private func present(_ expected: String) throws(JSONError) -> JSONValue {
        guard let value else { throw JSONError(.missingMember, "missing; expected \(expected)", path: path) }
        return value
    }

    private func mismatch(_ expected: String) -> JSONError {
        JSONError(.typeMismatch, "expected \(expected), found \(value.map(describe) ?? "nothing")", path: path)
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): "the number \(number.lexeme)"
        case .null: "null"
        default: "a \(value.typeName)"
        }
    }
}
