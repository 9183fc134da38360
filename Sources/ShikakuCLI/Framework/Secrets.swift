import Glibc
import ShikakuCrypto

/// Reading secrets — passphrases and My Numbers — from where the user may put them: a file, a file
/// descriptor, standard input or a prompt that does not echo. Never from the command line, where other
/// users see them in the process list, and never from an environment variable's value.
enum Secrets {
    /// The registry passphrase: `--passphrase-file FILE`, `--passphrase-fd N`, the file named by
    /// `SHIKAKU_PASSPHRASE_FILE`, or a prompt on the terminal. What the command line says beats the environment.
    static func passphrase(_ invocation: Invocation) throws -> SecretBytes {
        if let path = invocation.option("passphrase-file") {
            return try firstLine(of: try readFile(path, what: "passphrase file", privateOnly: true), what: "the passphrase file \(path)")
        }
        if let text = invocation.option("passphrase-fd") {
            guard let descriptor = Int32(text), descriptor >= 0 else {
                throw CLIError(.invalidValue, "--passphrase-fd needs a file descriptor number, not \"\(text)\"", command: invocation.command.path)
            }
            return try firstLine(of: try readDescriptor(descriptor, what: "passphrase from file descriptor \(descriptor)"), what: "file descriptor \(descriptor)")
        }
        if let path = invocation.environment["SHIKAKU_PASSPHRASE_FILE"], !path.isEmpty {
            return try firstLine(of: try readFile(path, what: "passphrase file", privateOnly: true), what: "the passphrase file \(path)")
        }
        return try prompt("Registry passphrase: ", invocation: invocation, hint: "--passphrase-file FILE")
    }

    /// A My Number: `--my-number-stdin`, `--my-number-file FILE`, or a prompt on the terminal.
    static func myNumber(_ invocation: Invocation) throws -> SecretBytes {
        if invocation.flag("my-number-stdin") { return try readDescriptor(STDIN_FILENO, what: "My Number") }
        if let path = invocation.option("my-number-file") { return try readFile(path, what: "My Number file") }
        return try prompt("My Number (12 digits, not shown): ", invocation: invocation, hint: "--my-number-stdin or --my-number-file FILE")
    }

    static let options: [OptionSpec] = [
        OptionSpec("passphrase-file", value: "FILE", help: "read the registry passphrase from FILE (or set SHIKAKU_PASSPHRASE_FILE)"),
        OptionSpec("passphrase-fd", value: "N", help: "read the registry passphrase from file descriptor N"),
    ]

    static let myNumberOptions: [OptionSpec] = [
        OptionSpec("my-number-stdin", help: "read the holder's My Number from standard input"),
        OptionSpec("my-number-file", value: "FILE", help: "read the holder's My Number from FILE"),
    ]

    private static func firstLine(of secret: SecretBytes, what: String) throws -> SecretBytes {
        let line = secret.withUnsafeBytes { bytes -> SecretBytes in
            var end = bytes.firstIndex(of: 0x0A) ?? bytes.count
            if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
            return SecretBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
        }
        guard line.count > 0 else { throw CLIError(.unreadableInput, "\(what) is empty") }
        return line
    }

    /// - Parameter privateOnly: Refuse a file that its group or others can read (a passphrase opens every key,
    ///   so its file is kept as private as the keys).
    private static func readFile(_ path: String, what: String, privateOnly: Bool = false) throws -> SecretBytes {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CLIError(.unreadableInput, "cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        if privateOnly {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                throw CLIError(.unreadableInput, "cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
            }
            guard status.st_mode & 0o077 == 0 else {
                throw CLIError(
                    .unreadableInput,
                    "the \(what) \(path) can be read by others (mode \(String(status.st_mode & 0o777, radix: 8))); "
                        + "it must be mode 600. Fix it with: chmod 600 \(path)")
            }
        }
        return try readDescriptor(descriptor, what: what)
    }

    private static func readDescriptor(_ descriptor: Int32, what: String) throws -> SecretBytes {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < buffer.count {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw CLIError(.unreadableInput, "cannot read the \(what): \(String(cString: strerror(errno)))") }
            if read == 0 { break }
            count += read
        }
        let secret = SecretBytes(copying: buffer.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[0..<count]) })
        SecretBytes.wipe(&buffer)
        return secret
    }

    /// Asks on the terminal with echo off; refuses when there is no terminal to ask on.
    private static func prompt(_ question: String, invocation: Invocation, hint: String) throws -> SecretBytes {
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else {
            throw CLIError(.missingArgument, "no terminal to ask on: give \(hint)", command: invocation.command.path)
        }
        defer { close(terminal) }
        var saved = termios()
        tcgetattr(terminal, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(terminal, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(terminal, TCSAFLUSH, &saved)
            _ = write(terminal, "\n", 1)
        }
        _ = question.withCString { write(terminal, $0, strlen($0)) }
        return try firstLine(of: try readLine(terminal), what: "the answer")
    }

    private static func readLine(_ descriptor: Int32) throws -> SecretBytes {
        var buffer = [UInt8](repeating: 0, count: 1024)
        var count = 0
        while count < buffer.count {
            var byte: UInt8 = 0
            let read = Glibc.read(descriptor, &byte, 1)
            if read < 0 && errno == EINTR { continue }
            if read <= 0 || byte == 0x0A { break }
            buffer[count] = byte
            count += 1
        }
        let secret = SecretBytes(copying: buffer.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[0..<count]) })
        SecretBytes.wipe(&buffer)
        return secret
    }
}
