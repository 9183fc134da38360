import Foundation
@testable import ShikakuCLI
import ShikakuTestSupport
import Testing

/// `shikaku help X` ≡ `shikaku X --help` for every command, batch action and command family, through the binary.
@Suite struct HelpTests {
    static let overview: String = (try? Processes.shikaku(["--help"]).output) ?? ""

    @Test(arguments: CLI.commands.map { $0.path })
    func helpAndTheHelpFlagShowTheSameUsageAndExamples(path: [String]) throws {
        let command = try #require(CLI.command(named: path))
        let viaHelp = try Processes.shikaku(["help"] + path)
        let viaFlag = try Processes.shikaku(path + ["--help"])
        for result in [viaHelp, viaFlag] {
            #expect(result.status == 0, "\(path): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(path): \(result.stderr)")
        }
        #expect(viaHelp.output == viaFlag.output, "\(path)")
        #expect(try Processes.shikaku(path + ["-h"]).output == viaFlag.output, "\(path)")
        #expect(viaFlag.output.hasPrefix(command.abstract + "\n\nUsage:\n  shikaku \(path.joined(separator: " "))"), "\(viaFlag.output)")
        #expect(viaFlag.output.contains("\nOptions:\n"), "\(path)")
        #expect(!command.examples.isEmpty && viaFlag.output.contains("\nExamples:\n  "), "\(path) has no examples")
        // Every example is a command line of this command (or of its help).
        for example in command.examples {
            let words = path.joined(separator: " ")
            #expect(example.command.contains("shikaku \(words)") || example.command.contains("shikaku help \(words)"), "\(path): \(example.command)")
        }
        #expect(Self.overview.contains("  \(command.name) "), "\(path) is missing from shikaku --help")
    }

    @Test(arguments: BatchAction.allCases.map(\.rawValue))
    func eachBatchActionHasItsOwnHelp(action name: String) throws {
        let action = try #require(BatchAction(rawValue: name))
        let viaHelp = try Processes.shikaku(["help", "batch", name])
        let viaFlag = try Processes.shikaku(["batch", name, "--help"])
        #expect(viaHelp.status == 0 && viaFlag.status == 0, "\(viaHelp.stderr)\(viaFlag.stderr)")
        #expect(viaHelp.output == viaFlag.output)
        #expect(viaFlag.output.hasPrefix(action.abstract + "\n\nUsage:\n  shikaku batch \(name) FILE"), "\(viaFlag.output)")
        for column in action.required {
            #expect(viaFlag.output.contains("\n  \(column) "), "\(name): \(column)")
            #expect(!action.help(column: column).isEmpty, "\(name): \(column) has no help")
        }
        for column in action.optional {
            #expect(viaFlag.output.contains("\n  [\(column)] "), "\(name): [\(column)]")
            #expect(!action.help(column: column).isEmpty, "\(name): [\(column)] has no help")
        }
        #expect(viaFlag.output.contains("\nExamples:\n  shikaku batch \(name) "), "\(viaFlag.output)")
        #expect(viaFlag.output != (try Processes.shikaku(["batch", "--help"])).output)
    }

    @Test(arguments: CLI.groups.map(\.name))
    func aFamilyOfCommandsListsItsSubcommands(group name: String) throws {
        let group = try #require(CLI.group(named: name))
        let viaHelp = try Processes.shikaku(["help", name])
        let viaFlag = try Processes.shikaku([name, "--help"])
        #expect(viaHelp.status == 0 && viaFlag.status == 0, "\(viaHelp.stderr)\(viaFlag.stderr)")
        #expect(viaHelp.output == viaFlag.output)
        #expect(viaFlag.output.hasPrefix(group.abstract + "\n\nUsage:\n  shikaku \(name) SUBCOMMAND"))
        #expect(!group.commands.isEmpty)
        for command in group.commands {
            #expect(viaFlag.output.contains("  \(command.path[1]) "), "\(name) does not list \(command.path[1])")
            #expect(viaFlag.output.contains(command.abstract), "\(command.name)")
        }
        #expect(viaFlag.output.contains("\nExamples:\n"))
        // Alone, or with a word that is none of its subcommands: a usage error naming them.
        for arguments in [[name], [name, "frobnicate"]] {
            let wrong = try Processes.shikaku(arguments)
            #expect(wrong.status == 2, "\(arguments)")
            #expect(wrong.stdout.isEmpty)
            #expect(wrong.stderr.hasPrefix("Error: '"), "\(wrong.stderr)")
            #expect(group.commands.allSatisfy { wrong.stderr.contains($0.path[1]) }, "\(wrong.stderr)")
        }
    }

    /// With nothing to verify, the mistake named is that, not the registry that is not there.
    @Test func verifyWithNothingToVerifyIsAUsageError() throws {
        let result = try Processes.shikaku(["verify"], environment: ["SHIKAKU_REGISTRY": "/nonexistent/registry"])
        #expect(result.status == 2 && result.stderr.contains("give credential files, --hash or --batch"), "\(result.stderr)")
    }

    @Test func anUnknownBatchActionIsAUsageErrorEitherWay() throws {
        for arguments in [["help", "batch", "frobnicate"], ["batch", "frobnicate", "--help"], ["batch", "frobnicate", "x.csv"]] {
            let result = try Processes.shikaku(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("\"frobnicate\" is not a batch action"), "\(result.stderr)")
        }
    }
}
