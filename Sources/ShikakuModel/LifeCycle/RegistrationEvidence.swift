/// What an applicant shows to be registered: exams passed, trainings completed, practice.
///
/// Checked against the qualification's ``Requirement``s. The register keeps it,
/// so that a later audit can see why a registration was allowed.
public struct RegistrationEvidence: Hashable, Sendable {
    /// Examinations passed, by the catalog's exam name (医師国家試験), with the date of the pass.
    public var exams: [Completion]
    /// Trainings and courses completed, by the catalog's name, with the date of completion.
    public var trainings: [Completion]
    /// Practice experience, where a requirement asks for it.
    public var practice: PracticeRecord?

    /// Creates evidence.
    public init(exams: [Completion] = [], trainings: [Completion] = [], practice: PracticeRecord? = nil) {
        self.exams = exams
        self.trainings = trainings
        self.practice = practice
    }

    /// Whether there is nothing in it.
    public var isEmpty: Bool { exams.isEmpty && trainings.isEmpty && practice == nil }
}

/// An exam passed or a training completed, on a date.
public struct Completion: Hashable, Sendable {
    /// The exam's or training's name, as the catalog writes it.
    public var name: String
    /// When it was passed or completed.
    public var date: CalendarDate

    /// Creates a completion.
    public init(name: String, date: CalendarDate) {
        self.name = name
        self.date = date
    }
}

/// Years and days of practice, on a base qualification or in a kind of work.
public struct PracticeRecord: Hashable, Sendable {
    /// The qualification practised on. When it is one the requirement counts, the holder must hold a
    /// registration of it in this registry, in force on the registration date.
    public var basis: QualificationCode?
    /// The kind of work, when it is not a qualification (相談援助業務).
    public var work: String?
    /// Whole years of practice.
    public var years: Int
    /// Days actually worked.
    public var days: Int

    /// Creates a practice record.
    public init(basis: QualificationCode? = nil, work: String? = nil, years: Int, days: Int) {
        self.basis = basis
        self.work = work
        self.years = years
        self.days = days
    }
}
