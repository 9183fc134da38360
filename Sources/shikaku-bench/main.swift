// Shikaku's benchmarks, the Swift side (the scripts in Scripts/ run them and put their figures beside
// `openssl speed`, SQLite, a C loop and a Python peer). Not a test, and not part of the product.
//
//     shikaku-bench credentials TEMPLATE.json COUNT CORES
//     shikaku-bench registry build|append|durable|open|lookup|rebuild DIR …
import Foundation

do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    switch arguments.first {
    case "credentials": try CredentialBench.run(Array(arguments.dropFirst()))
    case "registry": try RegistryBench.run(Array(arguments.dropFirst()))
    default: throw BenchError(description: "usage: shikaku-bench credentials|registry …")
    }
} catch {
    FileHandle.standardError.write(Data("shikaku-bench: \(error)\n".utf8))
    exit(1)
}
