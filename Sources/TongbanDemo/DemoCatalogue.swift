import TongbanCore

/// The demo's resource directory: household registration (户籍), education (学历) and marriage (婚姻), with
/// share types rotated across provinces so the federation shows all three.
public enum DemoCatalogue {
    public static let household = "1010010001"
    public static let education = "2030010001"
    public static let marriage = "1010030001"
    public static var codes: [String] { [household, education, marriage] }

    /// The share type of resource `index` (0…2) in the province at `position` of the federation.
    public static func shareType(resource index: Int, province position: Int) -> ShareType {
        [ShareType.unconditional, .conditional, .none][(index + position) % 3]
    }

    public static func yaml(province: ProvinceCode, position: Int) -> String {
        let p = province.officialName
        func sharing(_ index: Int) -> String {
            switch shareType(resource: index, province: position) {
            case .unconditional: "{type: unconditional, method: 接口}"
            case .conditional: "{type: conditional, condition: 仅限办理跨省通办事项所需，依据《政务数据共享条例》第十四条申请, method: 接口}"
            case .none: "{type: none, condition: 依据《中华人民共和国个人信息保护法》第二十八条不予共享, method: 不共享}"
            }
        }
        return """
        # Demo resource directory of \(p), written by 'tongbanctl demo up'.
        resources:
          - code: "\(household)"
            name: 户籍人口信息
            category: {kind: basic, path: [人口, 户籍]}
            provider: {name: \(p)公安厅, code: "\(province)0000PSB"}
            summary: \(p)户籍登记人口的身份、户别与住址信息。
            format: application/json
            subjectField: idNumber
            sharing: \(sharing(0))
            openType: none
            updateCycle: daily
            publishedAt: "2024-01-15"
            related: ["\(marriage)"]
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: name, title: 姓名, type: string, sensitive: true, masking: name}
              - {name: gender, title: 性别, type: code}
              - {name: birthDate, title: 出生日期, type: date}
              - {name: ethnicity, title: 民族, type: string}
              - {name: householdNumber, title: 户号, type: string}
              - {name: address, title: 住址, type: string, sensitive: true, masking: full}
              - {name: relationToHead, title: 与户主关系, type: string}
              - {name: registrationDate, title: 登记日期, type: date}
          - code: "\(education)"
            name: 高等教育学历信息
            category: {kind: theme, path: [教育, 学历]}
            provider: {name: \(p)教育厅, code: "\(province)0000EDU"}
            summary: \(p)高校毕业生的学校、专业、学历与证书信息。
            format: application/json
            subjectField: idNumber
            sharing: \(sharing(1))
            openType: none
            updateCycle: monthly
            publishedAt: "2024-02-01"
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: name, title: 姓名, type: string, sensitive: true, masking: name}
              - {name: school, title: 毕业院校, type: string}
              - {name: major, title: 专业, type: string}
              - {name: degree, title: 学历层次, type: string}
              - {name: graduationDate, title: 毕业日期, type: date}
              - {name: certificateNumber, title: 证书编号, type: string}
          - code: "\(marriage)"
            name: 婚姻登记信息
            category: {kind: basic, path: [人口, 婚姻]}
            provider: {name: \(p)民政厅, code: "\(province)0000MCA"}
            summary: \(p)婚姻登记机关办理的结婚、离婚登记信息。
            format: application/json
            subjectField: idNumber
            sharing: \(sharing(2))
            openType: none
            updateCycle: daily
            publishedAt: "2024-03-01"
            related: ["\(household)"]
            fields:
              - {name: idNumber, title: 公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: spouseIdNumber, title: 配偶公民身份号码, type: code, codeSystem: GB11643, sensitive: true, masking: id-number}
              - {name: status, title: 婚姻状况, type: string}
              - {name: registrationDate, title: 登记日期, type: date}
              - {name: registrationOffice, title: 登记机关, type: string}

        """
    }
}
