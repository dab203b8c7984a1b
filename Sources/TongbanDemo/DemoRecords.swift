import Foundation
import TongbanCore

/// Synthetic but valid records for one province: ID numbers issued in its counties with correct check
/// characters and real birth dates, realistic names, and consistent households, degrees and marriages.
public struct DemoRecords {
    public struct Person {
        public let id: String
        public let name: String
        public let male: Bool
        public let birthDate: String
        public let county: AdministrativeDivisions.Division
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let maleGiven = Array("伟强磊军洋勇杰涛明超辉刚鹏华飞鑫波宇浩凯健俊帆志国建文斌博睿晨")
    static let femaleGiven = Array("芳娜敏静丽艳娟霞秀燕玲桂英红梅琳雪婷慧颖佳欣怡雨晶倩莉")
    static let ethnicities = ["汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "回族", "满族", "壮族", "蒙古族"]
    static let relations = ["户主", "配偶", "子", "女", "父亲", "母亲"]
    static let majors = ["计算机科学与技术", "法学", "临床医学", "会计学", "汉语言文学", "机械工程", "土木工程", "英语", "数学与应用数学", "电子信息工程"]
    static let degrees = ["本科", "本科", "本科", "硕士研究生", "专科", "博士研究生"]

    public let province: ProvinceCode
    public let people: [Person]
    var generator: SeededGenerator

    public init(province: ProvinceCode, count: Int) {
        var generator = SeededGenerator(seed: UInt64(province.rawValue)! &* 1_000_003)
        let counties = AdministrativeDivisions.shared.counties(in: province)
        var used: Set<String> = []
        var people: [Person] = []
        people.reserveCapacity(count * 2)
        while people.count < count * 2 {  // twice as many: the second half are spouses
            let county = counties[Int.random(in: 0..<counties.count, using: &generator)]
            let year = Int.random(in: 1950...2003, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...28, using: &generator)
            let birth = String(format: "%04d%02d%02d", year, month, day)
            let sequence = Int.random(in: 0...999, using: &generator)
            let id = CitizenID.make(addressCode: county.code, birthDate: birth, sequence: sequence)
            guard used.insert(id).inserted else { continue }
            let male = sequence % 2 == 1
            let given = male ? Self.maleGiven : Self.femaleGiven
            var name = String(Self.surnames[Int.random(in: 0..<Self.surnames.count, using: &generator)])
            for _ in 0..<Int.random(in: 1...2, using: &generator) { name.append(given[Int.random(in: 0..<given.count, using: &generator)]) }
            people.append(Person(id: id, name: name, male: male, birthDate: String(format: "%04d-%02d-%02d", year, month, day), county: county))
        }
        self.province = province
        self.people = people
        self.generator = generator
    }

    public var count: Int { people.count / 2 }

    public mutating func householdCSV() -> String {
        var lines = ["idNumber,name,gender,birthDate,ethnicity,householdNumber,address,relationToHead,registrationDate"]
        for (index, person) in people.prefix(count).enumerated() {
            let household = String(format: "%@%06d", String(person.county.code.suffix(4)), index / 3)
            let street = Int.random(in: 1...299, using: &generator)
            let address = "\(province.officialName)\(person.county.name)人民路\(street)号"
            let registered = String(format: "%04d-%02d-%02d", Int(person.birthDate.prefix(4))! + Int.random(in: 0...18, using: &generator), Int.random(in: 1...12, using: &generator), Int.random(in: 1...28, using: &generator))
            lines.append([person.id, person.name, person.male ? "男" : "女", person.birthDate,
                          Self.ethnicities[Int.random(in: 0..<Self.ethnicities.count, using: &generator)], household, address,
                          Self.relations[index % 3 == 0 ? 0 : Int.random(in: 1..<Self.relations.count, using: &generator)], registered]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public mutating func educationCSV() -> String {
        let schools = ["\(province.shortName)大学", "\(province.shortName)师范大学", "\(province.shortName)理工大学", "\(province.shortName)医科大学", "\(province.shortName)财经大学"]
        var lines = ["idNumber,name,school,major,degree,graduationDate,certificateNumber"]
        for (index, person) in people.prefix(count).enumerated() {
            let year = min(Int(person.birthDate.prefix(4))! + 22, 2025)
            lines.append([person.id, person.name, schools[Int.random(in: 0..<schools.count, using: &generator)],
                          Self.majors[Int.random(in: 0..<Self.majors.count, using: &generator)],
                          Self.degrees[Int.random(in: 0..<Self.degrees.count, using: &generator)], "\(year)-07-01",
                          String(format: "1%@%04d%08d", province.rawValue, year, index)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public mutating func marriageCSV() -> String {
        var lines = ["idNumber,spouseIdNumber,status,registrationDate,registrationOffice"]
        for (index, person) in people.prefix(count).enumerated() {
            let spouse = people[count + index]
            let year = max(Int(person.birthDate.prefix(4))!, Int(spouse.birthDate.prefix(4))!) + Int.random(in: 22...35, using: &generator)
            let status = Int.random(in: 0..<10, using: &generator) == 0 ? "离婚" : "已婚"
            lines.append([person.id, spouse.id, status, String(format: "%04d-%02d-%02d", min(year, 2025), Int.random(in: 1...12, using: &generator), Int.random(in: 1...28, using: &generator)),
                          "\(person.county.name)民政局婚姻登记处"].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
