import Foundation
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import ShikakuTestSupport

/// A registry in a temporary folder with a ministry and Tokyo, and helpers to act in it.
final class OfficeFixture {
    let folder: URL
    let passphrase = SecretBytes(copying: Array("test passphrase".utf8))
    nonisolated(unsafe) static var clockSeconds: Int64 = 1_700_000_000

    init(files: FileSystem = PosixFileSystem()) throws {
        folder = try Processes.temporaryFolder("shikaku-office")
        _ = try Registry.create(
            at: folder.appendingPathComponent("registry").path, name: "テスト登録簿", origin: "test.shikaku/log",
            baseURL: "https://test.shikaku/public",
            authorities: [
                .init(id: "mhlw", name: "厚生労働大臣", prefecture: nil),
                .init(id: "tokyo", name: "東京都知事", prefecture: Prefecture.named("tokyo")),
            ], passphrase: passphrase, files: files, now: Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var path: String { folder.appendingPathComponent("registry").path }

    func open(writable: Bool = true) throws -> Registry { try Registry(opening: path, writable: writable) }

    func office(_ authority: String = "mhlw", registry: Registry? = nil) throws -> Office {
        try Office(registry: registry ?? open(), authority: authority, passphrase: passphrase) {
            Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds)
        }
    }

    static func person(_ name: String = "山田 花子", sex: Sex? = .female) -> Holder {
        guard let holder = try? Holder(name: name, nameKana: "ヤマダ ハナコ", birthDate: CalendarDate(iso: "1990-05-01"), sex: sex) else {
            preconditionFailure("bad test holder")
        }
        return holder
    }

    static func evidence(_ code: QualificationCode, on date: String = "2019-03-15") -> RegistrationEvidence {
        guard let qualification = try? Catalog.qualification(code), let day = try? CalendarDate(iso: date) else { preconditionFailure() }
        var evidence = RegistrationEvidence()
        func add(_ requirement: Requirement) {
            switch requirement {
            case .exam(let name, _): evidence.exams.append(Completion(name: name, date: day))
            case .training(let name, _): evidence.trainings.append(Completion(name: name, date: day))
            case .practice(let practice, _):
                evidence.practice = PracticeRecord(basis: practice.basedOn.first, years: practice.years, days: practice.days)
            case .anyOf(let alternatives, _): alternatives.first.map(add)
            case .qualification, .sex: break
            }
        }
        qualification.prerequisites.forEach(add)
        return evidence
    }

    static func holder(_ n: Int) -> HolderKey { HolderKey(digest: SHA256.hash("holder \(n)")) }

    static func date(_ iso: String) -> CalendarDate {
        guard let date = try? CalendarDate(iso: iso) else { preconditionFailure("bad date \(iso)") }
        return date
    }
}
