import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON

/// `shikaku-bench credentials TEMPLATE.json COUNT CORES [ROUNDS]`: eddsa-jcs-2022 issuing (sign, and the signed
/// credential's bytes) and verifying (parse, resolve the did:key, check the proof) of COUNT credentials made
/// from a template, on one core and on CORES, ROUNDS rounds each (five unless told); medians.
enum CredentialBench {
    static func run(_ arguments: [String]) throws {
        guard (3...4).contains(arguments.count), let count = Int(arguments[1]), let cores = Int(arguments[2]),
            let roundCount = Int(arguments.count == 4 ? arguments[3] : "5"), count > 0, cores > 0, roundCount > 0
        else {
            throw BenchError(description: "usage: shikaku-bench credentials TEMPLATE.json COUNT CORES [ROUNDS]")
        }
        guard case .object(var template) = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: arguments[0])))) else {
            throw BenchError(description: "the template is not a JSON object")
        }
        template["proof"] = nil
        let key = try Ed25519.PrivateKey()
        template["issuer"] = ["id": .string(key.publicKey.didKey), "name": "厚生労働大臣"]
        let options = DataIntegrity.Options(created: "2026-11-25T00:00:00Z", verificationMethod: key.publicKey.didKeyVerificationMethod)
        let unsigned = documents(from: template, count: count)
        let signed = Slots<[UInt8]>(count: count)
        let issue: @Sendable (Range<Int>) throws -> Void = { range in
            let signer = try ProofSigner(key)
            // Issuing ends with the credential's bytes: its canonical form, which is also what its hash covers.
            for n in range { signed[n] = try DataIntegrity.secure(unsigned[n], options: options, signer: signer).canonical }
        }
        let verify: @Sendable (Range<Int>) throws -> Void = { range in
            for n in range {
                guard case .object(let document) = try JSONValue.parse(signed[n] ?? []),
                    case .verified = DataIntegrity.verify(document, key: { try? Ed25519.PublicKey(didKey: $0) })
                else { throw BenchError(description: "credential \(n) does not verify") }
            }
        }
        var rounds: [String: [Double]] = [:]
        for _ in 0..<roundCount {
            rounds["issue1", default: []].append(try rate(count: count, cores: 1, issue))
            rounds["issueAll", default: []].append(try rate(count: count, cores: cores, issue))
            rounds["verify1", default: []].append(try rate(count: count, cores: 1, verify))
            rounds["verifyAll", default: []].append(try rate(count: count, cores: cores, verify))
        }
        print(figures([("count", Double(count)), ("cores", Double(cores))] + rounds.keys.sorted().map { ($0, median(rounds[$0] ?? [])) }))
    }

    /// COUNT unsigned credentials: the template with its id and holder's name varied.
    private static func documents(from template: JSONObject, count: Int) -> [JSONObject] {
        (0..<count).map { n in
            var document = template
            let digits = String(n)
            document["id"] = .string("urn:uuid:00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits)
            if case .object(var subject) = document["credentialSubject"] {
                subject["name"] = .string("山田 太郎\(n)")
                document["credentialSubject"] = .object(subject)
            }
            return document
        }
    }
}
