/// Every county-level-and-above administrative division code ever issued (GB/T 2260, revisions 1980–2019).
///
/// A citizen ID number keeps the address code in force when it was issued, so validation accepts any code
/// listed here, not only current ones. The table is embedded in the binary (generated from
/// `gb2260-codes.tsv` by `make divisions`) so an installed daemon needs no resource files.
public struct AdministrativeDivisions: Sendable {
    public struct Division: Sendable, Hashable {
        public let code: String
        public let name: String
        /// First and last revision (YYYYMM) that list the code.
        public let firstRevision: Int
        public let lastRevision: Int

        /// True for a county-level code (the last two digits are not `00`).
        public var isCounty: Bool { !code.hasSuffix("00") }
        public var provinceCode: String { String(code.prefix(2)) }
    }

    public static let shared = AdministrativeDivisions(tsv: embeddedTSV)

    public let divisions: [String: Division]

    init(tsv: String) {
        var table: [String: Division] = [:]
        for line in tsv.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count == 4, let first = Int(columns[2]), let last = Int(columns[3]) else { continue }
            let code = String(columns[0])
            table[code] = Division(code: code, name: String(columns[1]), firstRevision: first, lastRevision: last)
        }
        self.divisions = table
    }

    public func contains(_ code: String) -> Bool { divisions[code] != nil }

    public func name(of code: String) -> String? { divisions[code]?.name }

    /// County-level codes of one province, sorted; `currentOnly` keeps those in the latest revision.
    public func counties(in province: ProvinceCode, currentOnly: Bool = true) -> [Division] {
        let latest = divisions.values.map(\.lastRevision).max() ?? 0
        return divisions.values
            .filter { $0.provinceCode == province.rawValue && $0.isCounty && (!currentOnly || $0.lastRevision == latest) }
            .sorted { $0.code < $1.code }
    }
}
