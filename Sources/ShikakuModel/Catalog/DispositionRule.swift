/// A kind of administrative disposition (行政処分) a qualification's law allows.
public enum DispositionKind: String, Hashable, Sendable, CaseIterable {
    /// 戒告: recorded, no effect on practice.
    case warning
    /// An order that does not change status (指示, 研修受講命令, 再教育研修命令).
    case order
    /// Suspension of practice for a period (業務の停止, 医業の停止).
    case practiceSuspension
    /// Suspension of the use of the title for a period (名称の使用の停止).
    case titleSuspension
    /// A ban on practice for a period (介護支援専門員 業務禁止).
    case practiceBan
    /// Revocation of the licence or registration (取消, 消除, 失格処分).
    case revocation

    /// Whether this kind stops practice or the title for a period, and so needs a start and an end.
    public var isTimeBound: Bool { self == .practiceSuspension || self == .titleSuspension || self == .practiceBan }
}

/// One disposition a qualification's law allows, with its bounds.
public struct DispositionRule: Hashable, Sendable {
    /// The kind of disposition.
    public let kind: DispositionKind
    /// The law's own word for it: 戒告, 3年以内の医業の停止, 登録の取消し.
    public let name: String
    /// The longest period the law allows, for time-bound kinds; `nil` when it only says 期間を定めて.
    public let maxYears: Int?
    /// The article, if known.
    public let article: String?
}
