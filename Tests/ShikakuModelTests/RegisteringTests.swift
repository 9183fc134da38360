import Testing

@testable import ShikakuModel

@Suite struct RegisteringTests {
    @Test func registersAPhysicianWithTheExam() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        let registration = ledger[id]
        #expect(registration.standing(on: Ledger.date("2020-04-01")) == .active)
        #expect(registration.certificateSerial == 1)
        #expect(registration.card == nil)
        #expect(id.description == "physician:0000001")
    }

    @Test func refusesAPhysicianWithoutTheExam() throws {
        var ledger = Ledger()
        #expect(throws: ModelError(.prerequisiteExam, "")) {
            try ledger.register("physician", evidence: RegistrationEvidence())
        }
    }

    /// 保健師 needs both the 保健師 and the 看護師 national exam (保助看法7条1項).
    @Test func publicHealthNurseNeedsBothExams() throws {
        let qualification = try Catalog.qualification("public-health-nurse")
        #expect(qualification.requiredExams.count == 2)
        for exam in qualification.requiredExams {
            var ledger = Ledger()
            let error = #expect(throws: ModelError(.prerequisiteExam, "")) {
                try ledger.register("public-health-nurse", evidence: RegistrationEvidence.satisfying("public-health-nurse").without(exam))
            }
            #expect(error?.message.contains(exam) == true)
        }
        var ledger = Ledger()
        try ledger.register("public-health-nurse", evidence: .satisfying("public-health-nurse"))
    }

    /// 助産師 are women by the law's definition (保助看法3条), and need both exams (7条2項).
    @Test func midwifeNeedsBothExamsAndIsAWoman() throws {
        var ledger = Ledger()
        let error = #expect(throws: ModelError(.prerequisiteSex, "")) {
            try ledger.register("midwife", person: Ledger.person(sex: .male), evidence: .satisfying("midwife"))
        }
        #expect(error?.article != nil)
        for exam in try Catalog.qualification("midwife").requiredExams {
            #expect(throws: ModelError(.prerequisiteExam, "")) {
                try ledger.register("midwife", evidence: RegistrationEvidence.satisfying("midwife").without(exam))
            }
        }
        try ledger.register("midwife", evidence: .satisfying("midwife"))
    }

    /// 管理栄養士 needs the 栄養士 licence, which a prefecture grants.
    @Test func registeredDietitianNeedsTheDietitianLicence() throws {
        var ledger = Ledger()
        #expect(throws: ModelError(.prerequisiteLicence, "")) {
            try ledger.register("registered-dietitian", evidence: .satisfying("registered-dietitian"))
        }
        let tokyo = try #require(Prefecture.named("tokyo"))
        try ledger.register("dietitian", evidence: .satisfying("dietitian"), prefecture: tokyo, on: "2018-04-01")
        try ledger.register("registered-dietitian", evidence: .satisfying("registered-dietitian"))
    }

    @Test func aRevokedLicenceDoesNotCountAsAPrerequisite() throws {
        var ledger = Ledger()
        let tokyo = try #require(Prefecture.named("tokyo"))
        let dietitian = try ledger.register("dietitian", evidence: .satisfying("dietitian"), prefecture: tokyo, on: "2018-04-01")
        try ledger.record(
            .dispose(Disposition(kind: .revocation, date: Ledger.date("2019-01-10"), reason: "欠格事由")), for: dietitian)
        #expect(throws: ModelError(.prerequisiteLicence, "")) {
            try ledger.register("registered-dietitian", evidence: .satisfying("registered-dietitian"))
        }
    }

    /// 介護支援専門員 needs years of practice on a base qualification, the exam and the 実務研修.
    @Test func careManagerNeedsPracticeExamAndTraining() throws {
        let saitama = try #require(Prefecture.named("埼玉県"))
        var evidence = RegistrationEvidence.satisfying("care-manager")
        let full = try #require(evidence.practice)
        var base = Ledger()  // the holder holds the licence the practice was on
        try base.register(try #require(full.basis), evidence: .satisfying(try #require(full.basis)), on: "2014-04-01")
        var ledger = base
        try ledger.register("care-manager", evidence: evidence, prefecture: saitama)

        for short in [
            PracticeRecord(basis: full.basis, years: full.years - 1, days: full.days),
            PracticeRecord(basis: full.basis, years: full.years, days: full.days - 1),
            PracticeRecord(basis: "certified-tax-accountant", years: full.years, days: full.days),
        ] {
            evidence.practice = short
            var other = base
            #expect(throws: ModelError(.prerequisitePractice, "")) {
                try other.register("care-manager", evidence: evidence, prefecture: saitama)
            }
        }
        for exam in try Catalog.qualification("care-manager").requiredExams {
            var other = base
            #expect(throws: ModelError(.prerequisiteExam, "")) {
                try other.register("care-manager", evidence: RegistrationEvidence.satisfying("care-manager").without(exam), prefecture: saitama)
            }
        }
        let trainings = try Catalog.qualification("care-manager").requiredTrainings
        #expect(trainings == ["介護支援専門員実務研修"])
        for training in trainings {
            var other = base
            let error = #expect(throws: ModelError(.prerequisiteTraining, "")) {
                try other.register(
                    "care-manager", evidence: RegistrationEvidence.satisfying("care-manager").without(training), prefecture: saitama)
            }
            #expect(error?.message.contains(training) == true)
        }
        let number = ledger.registrations.keys.first { $0.qualification == "care-manager" }?.number
        #expect(number?.hasPrefix("11") == true)
        #expect(number?.count == 8)
    }

    /// 柔道整復師: the national exam and, before graduating, the 認定実技審査.
    @Test func judoTherapistNeedsThePracticalCheck() throws {
        let trainings = try Catalog.qualification("judo-therapist").requiredTrainings
        #expect(trainings == ["認定実技審査"])
        for training in trainings {
            var ledger = Ledger()
            let error = #expect(throws: ModelError(.prerequisiteTraining, "")) {
                try ledger.register("judo-therapist", evidence: RegistrationEvidence.satisfying("judo-therapist").without(training))
            }
            #expect(error?.message.contains(training) == true)
        }
        var ledger = Ledger()
        try ledger.register("judo-therapist", evidence: .satisfying("judo-therapist"))
    }

    /// Practice as a holder of one of the 法定資格 counts only from a holder of that licence: the holder's
    /// registration must be in this registry and in force on the registration date. Practice in 相談援助業務,
    /// a kind of work rather than a register, needs no registration.
    @Test func careManagersPracticeBasisMustBeHeld() throws {
        let saitama = try #require(Prefecture.named("埼玉県"))
        let practice = try #require(
            try Catalog.qualification("care-manager").prerequisites.lazy.compactMap { requirement -> Requirement.Practice? in
                if case .practice(let practice, _) = requirement { practice } else { nil }
            }.first)
        var evidence = RegistrationEvidence.satisfying("care-manager")
        evidence.practice = PracticeRecord(basis: "registered-nurse", years: practice.years, days: practice.days)

        var ledger = Ledger()
        let error = #expect(throws: ModelError(.prerequisiteLicence, "")) {
            try ledger.register("care-manager", evidence: evidence, prefecture: saitama)
        }
        #expect(error?.message.contains("看護師") == true)
        #expect(error?.article != nil)
        // A nurse of another holder does not count, nor one registered after the care manager's date.
        try ledger.register("registered-nurse", holder: Ledger.holderKey(2), evidence: .satisfying("registered-nurse"), on: "2015-04-01")
        let later = try ledger.register("registered-nurse", evidence: .satisfying("registered-nurse"), on: "2021-04-01")
        #expect(throws: ModelError(.prerequisiteLicence, "")) {
            try ledger.register("care-manager", evidence: evidence, prefecture: saitama, on: "2020-04-01")
        }
        // Nor a revoked one.
        try ledger.record(.dispose(Disposition(kind: .revocation, date: Ledger.date("2021-06-01"), reason: "x")), for: later)
        #expect(throws: ModelError(.prerequisiteLicence, "")) {
            try ledger.register("care-manager", evidence: evidence, prefecture: saitama, on: "2022-04-01")
        }

        var nurse = Ledger()
        try nurse.register("registered-nurse", evidence: .satisfying("registered-nurse"), on: "2014-04-01")
        try nurse.register("care-manager", evidence: evidence, prefecture: saitama)

        var work = Ledger()
        evidence.practice = PracticeRecord(work: practice.orWork, years: practice.years, days: practice.days)
        try work.register("care-manager", evidence: evidence, prefecture: saitama)
    }

    /// 保育士: a 指定保育士養成施設 graduate or a pass in the 保育士試験 (児童福祉法18条の6).
    @Test func nurseryTeacherNeedsOneOfTwoRoutes() throws {
        let osaka = try #require(Prefecture.named("osaka"))
        var ledger = Ledger()
        #expect(throws: ModelError(.prerequisiteUnmet, "")) {
            try ledger.register("nursery-teacher", evidence: RegistrationEvidence(), prefecture: osaka)
        }
        guard case .anyOf(let routes, _)? = try Catalog.qualification("nursery-teacher").prerequisites.first else {
            Issue.record("保育士's prerequisite is not a choice of routes")
            return
        }
        for (index, route) in routes.enumerated() {
            var evidence = RegistrationEvidence()
            switch route {
            case .exam(let name, _): evidence.exams = [Completion(name: name, date: Ledger.date("2020-03-01"))]
            case .training(let name, _): evidence.trainings = [Completion(name: name, date: Ledger.date("2020-03-01"))]
            default: Issue.record("unexpected route \(route)")
            }
            try ledger.register("nursery-teacher", holder: Ledger.holderKey(10 + index), evidence: evidence, prefecture: osaka)
        }
    }

    @Test func refusesASecondRegistrationOfTheSameHolder() throws {
        var ledger = Ledger()
        try ledger.register("physician", evidence: .satisfying("physician"))
        #expect(throws: ModelError(.alreadyRegistered, "")) {
            try ledger.register("physician", evidence: .satisfying("physician"))
        }
        try ledger.register("physician", holder: Ledger.holderKey(2), evidence: .satisfying("physician"))
    }

    @Test func prefecturalRegistersNeedAPrefectureAndNationalOnesRefuseOne() throws {
        var ledger = Ledger()
        #expect(throws: ModelError(.missingField, "")) {
            try ledger.register("assistant-nurse", evidence: .satisfying("assistant-nurse"))
        }
        #expect(throws: ModelError(.unexpectedField, "")) {
            try ledger.register("physician", evidence: .satisfying("physician"), prefecture: Prefecture.withCode(1))
        }
    }

    @Test func refusesEvidenceDatedAfterTheRegistration() throws {
        var ledger = Ledger()
        #expect(throws: ModelError(.evidenceAfterRegistration, "")) {
            try ledger.register("physician", evidence: .satisfying("physician", on: "2020-05-01"), on: "2020-04-01")
        }
    }

    @Test func registersThatRecordSexNeedIt() throws {
        var ledger = Ledger()
        #expect(try Catalog.qualification("physician").recordsSex)
        #expect(throws: ModelError(.missingField, "")) {
            try ledger.register("physician", person: Ledger.person(sex: nil), evidence: .satisfying("physician"))
        }
    }

    /// The same rule as for an amendment: a register that does not record 性別 refuses one at registration.
    @Test func registersThatDoNotRecordSexRefuseIt() throws {
        let registers = Catalog.all.filter { !$0.recordsSex }
        #expect(!registers.isEmpty)
        let tokyo = try #require(Prefecture.withCode(13))
        for register in registers {
            let prefecture = register.registeredBy == .prefectural ? tokyo : nil
            var ledger = Ledger()
            let error = #expect(throws: ModelError(.unexpectedField, "")) {
                try ledger.register(
                    register.code, person: Ledger.person(sex: .male), evidence: .satisfying(register.code), prefecture: prefecture)
            }
            #expect(error?.message.contains("性別") == true)
            #expect(error?.message.hasPrefix("sex:") == true)
        }
    }

    @Test func everyQualificationCanBeRegisteredWithItsEvidence() throws {
        let tokyo = try #require(Prefecture.withCode(13))
        var ledger = Ledger()
        let dietitian = try Catalog.qualification("dietitian")
        try ledger.register(dietitian.code, evidence: .satisfying(dietitian.code), prefecture: tokyo, on: "2015-04-01")
        for qualification in Catalog.all where qualification.code != dietitian.code {
            try ledger.register(
                qualification.code, evidence: .satisfying(qualification.code),
                prefecture: qualification.registeredBy == .prefectural ? tokyo : nil)
        }
        #expect(ledger.registrations.count == 32)
    }
}
