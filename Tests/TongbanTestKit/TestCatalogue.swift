import Foundation
import TongbanCore

/// A small resource directory for tests: household registration keyed by citizen ID number.
public enum TestCatalogue {
    public static let household = "1010010001"

    public static func yaml(share: ShareType = .unconditional) -> String {
        let sharing = share == .unconditional ? "{type: unconditional}" : "{type: \(share.rawValue), condition: 测试依据}"
        return """
        resources:
          - code: "\(household)"
            name: 户籍人口信息
            category: {kind: basic, path: [人口, 户籍]}
            provider: {name: 公安厅, code: "PSB"}
            summary: 户籍登记人口信息，用于测试的目录条目，摘要足够长以便压缩时超过一千字节的阈值。
            subjectField: idNumber
            sharing: \(sharing)
            updateCycle: daily
            publishedAt: "2024-01-15"
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: name, title: 姓名, type: string, sensitive: true, masking: name}
              - {name: county, title: 登记地, type: code, codeSystem: GB2260}
              - {name: members, title: 户内人数, type: integer}
              - {name: registrationDate, title: 登记日期, type: date}
              - {name: note, title: 备注, type: string, required: false}

        """
    }

    /// `count` valid CSV rows (header first) for `yaml()`'s resource, with distinct ID numbers of `province`.
    public static func csv(count: Int, province: String = "11", start: Int = 0) -> String {
        let counties = AdministrativeDivisions.shared.counties(in: try! ProvinceCode(province))
        var lines = ["idNumber,name,county,members,registrationDate,note"]
        lines.reserveCapacity(count + 1)
        for i in start..<(start + count) {
            let county = counties[i % counties.count].code
            let day = 1 + (i / 1000) % 28, month = 1 + (i / 28_000) % 12
            let id = CitizenID.make(addressCode: county, birthDate: String(format: "19%02d%02d%02d", 50 + (i / 336_000) % 50, month, day), sequence: i % 1000)
            lines.append("\(id),张三,\(county),\(1 + i % 6),2010-05-0\(1 + i % 9),")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension TestCatalogue {
    public static let education = "2030010001"
    public static let marriage = "1010030001"

    /// Three resources with the demo's codes, one per share type: household unconditional, education
    /// conditional, marriage not shared.
    public static func exchangeYAML() -> String {
        """
        resources:
          - code: "\(household)"
            name: 户籍人口信息
            category: {kind: basic, path: [人口, 户籍]}
            provider: {name: 公安厅, code: "PSB"}
            summary: 户籍。
            subjectField: idNumber
            sharing: {type: unconditional}
            updateCycle: daily
            publishedAt: "2024-01-15"
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: name, title: 姓名, type: string, sensitive: true, masking: name}
              - {name: gender, title: 性别, type: string}
              - {name: birthDate, title: 出生日期, type: date}
              - {name: address, title: 住址, type: string, sensitive: true, masking: full}
              - {name: county, title: 登记地, type: code, codeSystem: GB2260}
          - code: "\(education)"
            name: 学历
            category: {kind: theme, path: [教育]}
            provider: {name: 教育厅, code: "EDU"}
            summary: 学历。
            subjectField: idNumber
            sharing: {type: conditional, condition: 依申请}
            updateCycle: monthly
            publishedAt: "2024-01-15"
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: name, title: 姓名, type: string, sensitive: true, masking: name}
              - {name: school, title: 院校, type: string}
              - {name: degree, title: 学历, type: string}
          - code: "\(marriage)"
            name: 婚姻
            category: {kind: basic, path: [人口, 婚姻]}
            provider: {name: 民政厅, code: "MCA"}
            summary: 婚姻。
            subjectField: idNumber
            sharing: {type: none, condition: 依法不予共享}
            updateCycle: daily
            publishedAt: "2024-01-15"
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: spouseIdNumber, title: 配偶, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: status, title: 婚姻状况, type: string}

        """
    }
}
