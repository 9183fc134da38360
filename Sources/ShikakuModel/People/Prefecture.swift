/// One of Japan's 47 prefectures, identified by its JIS X 0401 code (01 北海道 … 47 沖縄県).
///
/// Prefectures keep the registers of 准看護師, 栄養士, 保育士 and 介護支援専門員, and
/// their code leads a 介護支援専門員 registration number.
public struct Prefecture: Hashable, Sendable, CustomStringConvertible {
    /// The JIS X 0401 code, 1 to 47.
    public let code: Int
    /// The name in Japanese, such as 東京都.
    public let name: String
    /// The name in lower-case romaji, such as `tokyo`: what scripts and command lines use.
    public let romanized: String

    /// The two-digit code, such as `13`.
    public var twoDigitCode: String { code < 10 ? "0\(code)" : "\(code)" }

    public var description: String { name }

    /// The prefecture with JIS code `code`, or `nil`.
    public static func withCode(_ code: Int) -> Prefecture? {
        (1...47).contains(code) ? all[code - 1] : nil
    }

    /// The prefecture named `text`: its romaji (`tokyo`), its Japanese name with or without the suffix
    /// (`東京都`, `東京`), or its two-digit code (`13`).
    public static func named(_ text: String) -> Prefecture? {
        if let code = Int(text), text.count == 2 { return withCode(code) }
        let lower = text.lowercased()
        return all.first { $0.romanized == lower || $0.name == text || $0.shortName == text }
    }

    /// The Japanese name without 都, 道, 府 or 県 (北海道 keeps its name).
    public var shortName: String {
        guard code != 1, let last = name.last, "都府県".contains(last) else { return name }
        return String(name.dropLast())
    }

    /// All 47, in code order.
    public static let all: [Prefecture] = [
        "北海道 hokkaido", "青森県 aomori", "岩手県 iwate", "宮城県 miyagi", "秋田県 akita", "山形県 yamagata",
        "福島県 fukushima", "茨城県 ibaraki", "栃木県 tochigi", "群馬県 gunma", "埼玉県 saitama", "千葉県 chiba",
        "東京都 tokyo", "神奈川県 kanagawa", "新潟県 niigata", "富山県 toyama", "石川県 ishikawa", "福井県 fukui",
        "山梨県 yamanashi", "長野県 nagano", "岐阜県 gifu", "静岡県 shizuoka", "愛知県 aichi", "三重県 mie",
        "滋賀県 shiga", "京都府 kyoto", "大阪府 osaka", "兵庫県 hyogo", "奈良県 nara", "和歌山県 wakayama",
        "鳥取県 tottori", "島根県 shimane", "岡山県 okayama", "広島県 hiroshima", "山口県 yamaguchi",
        "徳島県 tokushima", "香川県 kagawa", "愛媛県 ehime", "高知県 kochi", "福岡県 fukuoka", "佐賀県 saga",
        "長崎県 nagasaki", "熊本県 kumamoto", "大分県 oita", "宮崎県 miyazaki", "鹿児島県 kagoshima", "沖縄県 okinawa",
    ].enumerated().map { index, entry in
        let parts = entry.split(separator: " ")
        return Prefecture(code: index + 1, name: String(parts[0]), romanized: String(parts[1]))
    }
}
