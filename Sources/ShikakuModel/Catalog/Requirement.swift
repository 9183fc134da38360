/// A condition for registration in a qualification's register.
///
/// Registration evidence (``RegistrationEvidence``) and the holder's other
/// registrations are checked against these when a holder is registered.
public indirect enum Requirement: Hashable, Sendable {
    /// A passed examination: 医師国家試験.
    case exam(name: String, article: String?)
    /// A completed training or course: 栄養士養成施設の卒業.
    case training(name: String, article: String?)
    /// Holding another licence in this registry: 管理栄養士 needs 栄養士.
    case qualification(QualificationCode, article: String?)
    /// The register's 性別: 助産師 are women (保助看法3条).
    case sex(Sex, article: String?)
    /// Years and days of practice on a base qualification or in a kind of work (介護支援専門員: 5 years, 900 days).
    case practice(Practice, article: String?)
    /// At least one of these.
    case anyOf([Requirement], article: String?)

    /// Practice experience a registration needs.
    public struct Practice: Hashable, Sendable {
        /// Least years of practice.
        public let years: Int
        /// Least days actually worked.
        public let days: Int
        /// Qualifications whose practice counts.
        public let basedOn: [QualificationCode]
        /// A kind of work that counts without a base qualification (相談援助業務).
        public let orWork: String?
    }

    /// The law's article behind this requirement, if known.
    public var article: String? {
        switch self {
        case .exam(_, let article), .training(_, let article), .qualification(_, let article), .sex(_, let article),
            .practice(_, let article), .anyOf(_, let article):
            article
        }
    }
}
