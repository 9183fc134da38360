import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// `shikaku-bench credentials TEMPLATE.json COUNT CORES [ROUNDS]`: eddsa-jcs-2022 issuing (the credential
/// written, signed, and its bytes) and verifying (parse, resolve the did:key, check the proof) of COUNT
/// credentials of the template's holder and registration, their names varied, on one core and on CORES,
/// ROUNDS rounds each (five unless told); medians.
enum CredentialBench {
    static func run(_ arguments: [String]) throws {
        guard (3...4).contains(arguments.count), let count = Int(arguments[1]), let cores = Int(arguments[2]),
            let roundCount = Int(arguments.count == 4 ? arguments[3] : "5"), count > 0, cores > 0, roundCount > 0
        else {
            throw BenchError(description: "usage: shikaku-bench credentials TEMPLATE.json COUNT CORES [ROUNDS]")
        }
        let template = JSONReader(try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: arguments[0])))))
        let key = try Ed25519.PrivateKey()
        let issuer = Issuer(authorityID: "mhlw", name: try template["issuer"]["name"].string(), key: key)
        let site = PublicationSite(baseURL: "https://bench.example")
        let created = try Timestamp(iso: "2026-11-25T00:00:00Z")
        let contents = try self.contents(of: template, count: count)
        let signed = Slots<[UInt8]>(count: count)
        let issue: @Sendable (Range<Int>) throws -> Void = { range in
            let signer = try ProofSigner(key)
            // Issuing ends with the credential's canonical bytes and their hash, as the journal records it.
            for n in range {
                signed[n] = try IssuedCredential.issue(contents[n], issuer: issuer, site: site, at: created, signer: signer).canonical
            }
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

    /// What COUNT credentials attest: the template's registration, held by people whose names are numbered.
    private static func contents(of template: JSONReader, count: Int) throws -> [QualificationCredential.Content] {
        let subject = template["credentialSubject"]
        let registered = subject["qualification"]
        let qualification = try Catalog.qualification(QualificationCode(rawValue: try registered["code"].string()))
        let id = try RegistrationID(parsing: "\(qualification.code.rawValue):\(try registered["registrationNumber"].string())")
        let date = try CalendarDate(iso: try registered["registrationDate"].string())
        let birthDate = try CalendarDate(iso: try subject["birthDate"].string())
        let name = try subject["name"].string(), kana = try subject["nameKana"].string()
        return try (0..<count).map { n in
            let registering = Registering(
                id: id, holderKey: HolderKey(digest: SHA256.hash(Array("holder \(n)".utf8))),
                holder: try Holder(name: name + String(n), nameKana: kana, birthDate: birthDate), evidence: RegistrationEvidence(),
                prefecture: nil, date: date)
            let registration = try LifeCycle.apply(.register(registering), to: nil, qualification: qualification)
            return QualificationCredential.Content(
                registration: registration, qualification: qualification, effectiveDate: date, slot: StatusSlot(list: 1, index: n))
        }
    }
}
