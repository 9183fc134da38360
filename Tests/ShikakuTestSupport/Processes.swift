import Foundation

/// Running other programs from tests: the `openssl` command for interop, the built `shikaku` binary
/// for end-to-end tests.
public struct ProcessResult: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to standard output.
    public let stdout: Data
    /// Everything written to standard error, as text.
    public let stderr: String

    /// Standard output as text.
    public var output: String { String(decoding: stdout, as: UTF8.self) }
}

/// Holds what a reader thread read, handed over when the thread group finishes.
private final class Box: @unchecked Sendable {
    var data = Data()
}

public enum Processes {
    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`, feeding `input` to its
    /// standard input, and waits for it.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
        directory: URL? = nil, killAfter seconds: Double? = nil
    ) throws -> ProcessResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        // A child may exit without reading its input (a usage error, say): writing to its closed pipe must be an
        // error to ignore, not a SIGPIPE that kills the whole test process.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        if let seconds {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { kill(pid, SIGKILL) }
        }
        let done = DispatchGroup()
        let errorData = Box()
        DispatchQueue.global().async(group: done) {
            if let input { try? stdin.fileHandleForWriting.write(contentsOf: input) }
            try? stdin.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        DispatchQueue.global().async(group: done) { errorData.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return ProcessResult(status: process.terminationStatus, stdout: outputData, stderr: String(decoding: errorData.data, as: UTF8.self))
    }

    /// A new empty folder under the system's temporary folder, for one test.
    public static func temporaryFolder(_ name: String = "shikaku-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Processes {
    /// The built `shikaku` binary, beside the test bundle in the build folder.
    public static let shikakuPath: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("shikaku").path
    }()

    /// Runs the built `shikaku` with `arguments`, `input` on standard input, and the environment given
    /// (plus PATH); nothing of the caller's SHIKAKU_* settings leaks in.
    @discardableResult
    public static func shikaku(
        _ arguments: [String], input: Data? = nil, environment: [String: String] = [:], killAfter seconds: Double? = nil
    ) throws -> ProcessResult {
        var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8"]
        variables.merge(environment) { $1 }
        return try run(shikakuPath, arguments, input: input, environment: variables, killAfter: seconds)
    }
}

extension Processes {
    /// Runs the built `shikaku` with its standard error on a pseudo-terminal (as a clerk's shell would have it)
    /// and standard output on a pipe; `stderr` is what the terminal received.
    public static func shikakuWithTerminalStandardError(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        // posix_openpt and friends, by hand: open the multiplexer, unlock the new terminal, ask for its number.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(master) }
        // TIOCSPTLCK = _IOW('T', 0x31, int) and TIOCGPTN = _IOR('T', 0x30, unsigned int) (asm-generic, as on x86_64
        // and arm64): function-like macros, which Swift does not import.
        let setLock: UInt = 0x4004_5431
        let getNumber: UInt = 0x8004_5430
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, setLock, &unlock) == 0, ioctl(master, getNumber, &number) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let terminal = try FileHandle(forUpdating: URL(fileURLWithPath: "/dev/pts/\(number)"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shikakuPath)
        process.arguments = arguments
        var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8"]
        variables.merge(environment) { $1 }
        process.environment = variables
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = terminal
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try terminal.close()
        let received = Box()
        let done = DispatchGroup()
        // The terminal reads end with EIO once the child, its last holder, has closed it.
        DispatchQueue.global().async(group: done) {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                received.data.append(contentsOf: chunk[0..<count])
            }
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return ProcessResult(status: process.terminationStatus, stdout: output, stderr: String(decoding: received.data, as: UTF8.self))
    }
}
