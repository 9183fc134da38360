import ShikakuJSON

/// What a batch says of one row, as a line of text or of JSON: typed, so that the text line (a row of every
/// run) is written without building the JSON object first.
enum RowReport {
    /// Written: the event's registration and log index, and the credential it issued, if any.
    case done(registration: String, logIndex: Int, credential: String?)
    /// Done before: where, or `nil` when by an earlier row of the same file, not yet committed.
    case alreadyDone(place: (registration: String, logIndex: Int)?)
    /// Failed, with the error's code, the field it is about (if one) and its message.
    case failed(code: String, field: String?, message: String)
    /// Taken but not written: `not-written`, or `checked` in a dry run.
    case unwritten(outcome: String)

    /// The outcome's name, the same in both forms.
    var outcome: String {
        switch self {
        case .done: "done"
        case .alreadyDone: "already-done"
        case .failed: "error"
        case .unwritten(let outcome): outcome
        }
    }

    /// `line N: OUTCOME`, then the registration and credential, or the error.
    func text(line: Int) -> String {
        var text = "line \(line): \(outcome)"
        switch self {
        case .done(let registration, _, let credential):
            text += " " + registration
            if let credential { text += " " + credential }
        case .alreadyDone(let place):
            text += " " + (place?.registration ?? RowReport.earlierInFile)
        case .failed(let code, let field, let message):
            text += " " + code + (field.map { " [\($0)]" } ?? "") + ": " + message
        case .unwritten:
            break
        }
        return text
    }

    /// `{"row", "outcome", …}`: the registration, log index and credential (`null` for none), or the error.
    func json(line: Int) -> JSONValue {
        var object: JSONObject = ["row": .number(JSONNumber(line)), "outcome": .string(outcome)]
        switch self {
        case .done(let registration, let logIndex, let credential):
            object["registration"] = .string(registration)
            object["logIndex"] = .number(JSONNumber(logIndex))
            object["credential"] = credential.map { .string($0) } ?? .null
        case .alreadyDone(let place):
            object["registration"] = .string(place?.registration ?? RowReport.earlierInFile)
            if let place { object["logIndex"] = .number(JSONNumber(place.logIndex)) }
        case .failed(let code, let field, let message):
            object["code"] = .string(code)
            object["message"] = .string(message)
            if let field { object["field"] = .string(field) }
        case .unwritten:
            break
        }
        return .object(object)
    }

    private static let earlierInFile = "(earlier in this file)"
}
