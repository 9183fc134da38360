import ShikakuCredentials
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku show REG`: a registration as it stands.
enum ShowCommand: Command {
    static let path = ["show"]
    static let abstract = "Show a registration: holder, status, card, dispositions, current credential"
    static let usage = ["show REG [--json]"]
    static let positionals = 1...1
    static let options = [RegistryAccess.option]
    static let examples = [Example(command: "shikaku show physician:0000001", explanation: "the 医籍 entry No. 0000001")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let registry = try RegistryAccess.reader(invocation)
        guard let record = try registry.record(of: id) else {
            throw OfficeError(.unknownRegistration, "the registry has no registration \(id)")
        }
        let today = Timestamp.now().dateInJapan
        if invocation.json {
            invocation.console.write(json: RegistrationView.json(record, today: today))
        } else {
            invocation.console.write(RegistrationView.text(record, config: registry.config, today: today))
        }
        return .success
    }
}

/// `shikaku history REG`: every event, with its time, authority and log index.
enum HistoryCommand: Command {
    static let path = ["history"]
    static let abstract = "List every event of a registration with its time, authority and log index"
    static let usage = ["history REG [--json]"]
    static let positionals = 1...1
    static let options = [RegistryAccess.option]
    static let examples = [Example(command: "shikaku history care-manager:13000001", explanation: "registration, renewals, …")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let registry = try RegistryAccess.reader(invocation)
        let items = try registry.history(of: id)
        guard !items.isEmpty else { throw OfficeError(.unknownRegistration, "the registry has no registration \(id)") }
        if invocation.json {
            invocation.console.write(json: .array(items.map { item in
                var object: JSONObject = [
                    "logIndex": .number(JSONNumber(Int(item.sequence))), "recorded": .string(item.entry.time.iso),
                    "authority": .string(item.entry.authority),
                ]
                if let change = item.entry.change {
                    object["event"] = change.event.json
                    object["credential"] = change.credential.map { .string(CredentialHash.text($0.hash)) } ?? .null
                }
                return .object(object)
            }))
            return .success
        }
        var table = TextTable(["Log", "Recorded (UTC)", "Authority", "Event", "Effective", "Details"])
        for item in items {
            guard let change = item.entry.change else { continue }
            table.append([
                String(item.sequence), item.entry.time.iso, item.entry.authority, change.event.kind, RegistrationView.date(change.event.date),
                details(change),
            ])
        }
        invocation.console.write("\(RegistrationView.title(id)) (\(id))\n" + table.render())
        return .success
    }

    static func details(_ change: RegistrationChange) -> String {
        var parts: [String] = []
        switch change.event {
        case .register(let event): parts.append(event.holder.name)
        case .amend(let event): parts.append([event.name, event.formerSurname.map { "旧姓 \($0 ?? "—")" }].compactMap { $0 }.joined(separator: ", "))
        case .recordAddition(let event): parts.append(event.code)
        case .renew(let event), .retrain(let event): parts.append("training \(event.trainingCompletedOn.iso)")
        case .report(let event): parts.append("year \(event.year)")
        case .dispose(let event): parts.append(RegistrationView.disposition(event))
        case .reinstate(let event): parts.append(event.reason)
        case .relicense: break
        case .reissue(let event): parts.append(event.reason.rawValue)
        case .erase(let event): parts.append(event.reason.rawValue)
        }
        if let credential = change.credential { parts.append("credential \(credential.serial) \(CredentialHash.text(credential.hash).prefix(19))…") }
        return parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// `shikaku find --my-number-stdin`: a holder's registrations in all 32 registers.
enum FindCommand: Command {
    static let path = ["find"]
    static let abstract = "Find a holder's registrations in every register, by My Number"
    static let usage = ["find --my-number-stdin [--json]", "find --my-number-file FILE [--json]"]
    static let discussion = """
        The number is read from standard input, a file or a prompt, checked, and turned into the holder key
        (which needs the registry passphrase, to open the secret); it is never shown.
        """
    static let options = [RegistryAccess.option] + Secrets.myNumberOptions + Secrets.options
    static let examples = [Example(command: "shikaku find --my-number-file number.txt --passphrase-file pass", explanation: "all registrations")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let number = try MyNumber(try Secrets.myNumber(invocation))
        let registry = try RegistryAccess.reader(invocation)
        let key = number.holderKey(secret: try registry.holderSecret(passphrase: try Secrets.passphrase(invocation)))
        let records = try registry.registrations(of: key).compactMap { try registry.record(of: $0) }
        let today = Timestamp.now().dateInJapan
        if invocation.json {
            invocation.console.write(json: .array(records.map { RegistrationView.json($0, today: today) }))
            return .success
        }
        guard !records.isEmpty else {
            invocation.console.write("No registrations for this My Number.\n")
            return .success
        }
        var table = TextTable(["Registration", "資格", "Name", "Registered", "Status"])
        for record in records {
            let registration = record.registration
            table.append([
                registration.id.description, (try? Catalog.qualification(registration.id.qualification))?.name ?? "",
                registration.holder.displayName, RegistrationView.date(registration.registeredOn), registration.standing(on: today).name,
            ])
        }
        invocation.console.write(table.render())
        return .success
    }
}
