/// A province-level division of the mainland, identified by the first two digits of its GB/T 2260 code
/// (11 北京 … 65 新疆). Only the 31 mainland province-level divisions take part in the federation.
public struct ProvinceCode: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The two digits, for example `"11"`.
    public let rawValue: String

    /// Accepts the two-digit code or the six-digit division code ending in `0000` (`110000`).
    public init(_ text: String) throws(TongbanError) {
        var digits = text.trimmingWhitespace
        if digits.count == 6, digits.hasSuffix("0000") { digits = String(digits.prefix(2)) }
        guard Self.names[digits] != nil else {
            if ["71", "81", "82"].contains(digits) {
                throw TongbanError(.provinceUnknown, "province code \(digits) is outside the mainland federation (台湾/香港/澳门)")
            }
            throw TongbanError(.provinceUnknown, "unknown province code '\(text)': expected a GB/T 2260 two-digit code such as 11 (北京) or 44 (广东)")
        }
        self.rawValue = digits
    }

    /// The short Chinese name, for example `北京`.
    public var shortName: String { Self.names[rawValue]! }

    /// The official name from GB/T 2260, for example `北京市`.
    public var officialName: String { AdministrativeDivisions.shared.name(of: rawValue + "0000") ?? shortName }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every province-level division of the mainland, in code order.
    public static var all: [ProvinceCode] { names.keys.sorted().map { try! ProvinceCode($0) } }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    static let names: [String: String] = [
        "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
        "21": "辽宁", "22": "吉林", "23": "黑龙江",
        "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
        "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
        "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
        "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    ]
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
