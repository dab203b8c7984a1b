import Foundation
import Testing
@testable import TongbanCore

@Suite struct RecordValidatorTests {
    static let resource = CatalogueResource(
        code: "R1", name: "测试", category: .init(kind: .basic, path: []), provider: .init(name: "p", code: "p"), summary: "s",
        format: "application/json",
        fields: [
            CatalogueField(name: "idNumber", title: "身份号码", type: .code, sensitive: true, masking: .idNumber, codeSystem: .gb11643),
            CatalogueField(name: "count", title: "数量", type: .integer, required: false),
            CatalogueField(name: "ratio", title: "比例", type: .decimal, required: false),
            CatalogueField(name: "flag", title: "标志", type: .boolean, required: false),
            CatalogueField(name: "day", title: "日期", type: .date, required: false),
            CatalogueField(name: "county", title: "区县", type: .code, required: false, codeSystem: .gb2260),
        ],
        subjectField: "idNumber", sharing: .init(type: .unconditional), openType: .none, updateCycle: .daily,
        publishedAt: "2024-01-01", modifiedAt: "2024-01-01T00:00:00Z")

    @Test func validRowIsTypedAndNormalised() throws {
        let outcome = RecordValidator(resource: Self.resource).validate(
            ["idNumber": "11010519491231002x", "count": "3", "ratio": "0.5", "flag": "是", "day": "2020-02-29", "county": "110105"], line: 2)
        guard case .success(let valid) = outcome else { Issue.record("refused: \(outcome)"); return }
        #expect(valid.subject == "11010519491231002X")
        #expect(valid.fields["count"] == .integer(3))
        #expect(valid.fields["ratio"] == .number(0.5))
        #expect(valid.fields["flag"] == .bool(true))
        #expect(JSONValue.object(valid.fields).canonicalText
                == #"{"count":3,"county":"110105","day":"2020-02-29","flag":true,"idNumber":"11010519491231002X","ratio":0.5}"#)
    }

    /// NUL, ESC and the other C0 controls (and DEL) are refused in every text value; TAB, LF and CR are text.
    @Test func controlCharactersAreRefusedButLineEndsAreText() throws {
        let withNote = CatalogueResource(
            code: "R2", name: "测试", category: .init(kind: .basic, path: []), provider: .init(name: "p", code: "p"), summary: "s",
            format: "application/json",
            fields: [
                CatalogueField(name: "idNumber", title: "身份号码", type: .code, sensitive: true, masking: .idNumber, codeSystem: .gb11643),
                CatalogueField(name: "note", title: "备注", type: .string, required: false),
            ],
            subjectField: "idNumber", sharing: .init(type: .unconditional), openType: .none, updateCycle: .daily,
            publishedAt: "2024-01-01", modifiedAt: "2024-01-01T00:00:00Z")
        let validator = RecordValidator(resource: withNote)
        for bad in ["张\u{0}三", "a\u{1B}[31mb", "x\u{7F}", "\u{1F}"] {
            guard case .failure(let issues) = validator.validate(["idNumber": .string("11010519491231002X"), "note": .string(bad)], line: 4) else {
                Issue.record("stored a control character: \(bad.debugDescription)"); continue
            }
            #expect(issues == [RecordIssue(line: 4, field: "note",
                                           message: "contains a control character (U+0000–U+001F other than tab and line ends, or U+007F)")])
        }
        guard case .success(let valid) = validator.validate(["idNumber": .text("11010519491231002X"), "note": .text("一\t二\r\n三")], line: 2) else {
            Issue.record("refused tab and line ends"); return
        }
        #expect(valid.fields["note"] == .string("一\t二\r\n三"))
    }

    @Test(arguments: [
        (["idNumber": "110105194912310021"], "idNumber", "check-character"),
        (["idNumber": CitizenID.make(addressCode: "110105", birthDate: "19490230", sequence: 2)], "idNumber", "birth-date"),
        (["idNumber": CitizenID.make(addressCode: "999999", birthDate: "19490101", sequence: 2)], "idNumber", "address-code"),
        ([:], "idNumber", "missing"),
        (["idNumber": "11010519491231002X", "count": "three"], "count", "whole number"),
        (["idNumber": "11010519491231002X", "ratio": "NaN"], "ratio", "decimal"),
        (["idNumber": "11010519491231002X", "flag": "maybe"], "flag", "true or false"),
        (["idNumber": "11010519491231002X", "day": "2021-02-29"], "day", "real date"),
        (["idNumber": "11010519491231002X", "county": "999999"], "county", "GB/T 2260"),
        (["idNumber": "11010519491231002X", "extra": "x"], "extra", "not a field"),
    ] as [([String: String], String, String)])
    func eachErrorNamesLineAndField(_ row: [String: String], _ field: String, _ message: String) {
        let outcome = RecordValidator(resource: Self.resource).validate(row.mapValues { Optional($0) }, line: 7)
        guard case .failure(let issues) = outcome else { Issue.record("accepted \(row)"); return }
        let issue = issues.first { $0.field == field }
        #expect(issue?.line == 7)
        #expect(issue?.message.contains(message) == true, "\(issues)")
        // Messages never echo the value (no personal data in reports or logs).
        for value in row.values where value.count > 5 { #expect(!(issue?.message.contains(value) ?? false)) }
    }
}

extension RecordValidatorTests {
    static var withNote: CatalogueResource {
        var resource = Self.resource
        resource.fields.append(CatalogueField(name: "note", title: "备注", type: .string, required: false))
        return resource
    }

    /// Every value is trimmed, whatever its field's type and whether it came from CSV or JSON; whitespace only
    /// (U+3000 included) is absent.
    @Test func valuesAreTrimmedAndWhitespaceOnlyIsAbsent() throws {
        let validator = RecordValidator(resource: Self.withNote)
        let csv = validator.validate(["idNumber": " 11010519491231002x\t", "count": " 3 ", "flag": " 是", "day": "2020-02-29 ", "note": " 空格 ",
                                      "ratio": "\u{3000}"], line: 2)
        let json = validator.validate(["idNumber": .string(" 11010519491231002x"), "count": .number("3"), "flag": .bool(true),
                                       "day": .string(" 2020-02-29"), "note": .string(" 空格 "), "ratio": .null], line: 2)
        guard case .success(let fromCSV) = csv, case .success(let fromJSON) = json else { Issue.record("refused: \(csv) \(json)"); return }
        #expect(JSONValue.object(fromCSV.fields).canonicalText
                == #"{"count":3,"day":"2020-02-29","flag":true,"idNumber":"11010519491231002X","note":"空格"}"#)
        #expect(fromJSON.fields == fromCSV.fields && fromCSV.converted.isEmpty)
        guard case .failure(let issues) = validator.validate(["idNumber": " \u{3000}"], line: 4) else {
            Issue.record("accepted a blank subject"); return
        }
        #expect(issues == [RecordIssue(line: 4, field: "idNumber", message: "missing (required)")])
    }

    /// A JSON value must have its field's JSON type; the message names the type given, never the value.
    @Test(arguments: [
        ("note", ImportedValue.bool(true), "must be a JSON string, not a boolean"),
        ("note", .number("12"), "must be a JSON string, not a number"),
        ("day", .number("20200229"), "must be a JSON string, not a number"),
        ("county", .number("110105"), "must be a JSON string, not a number"),
        ("count", .string("3"), "must be a JSON number, not a string"),
        ("count", .number("3.5"), "must be a whole number"),
        ("ratio", .bool(false), "must be a JSON number, not a boolean"),
        ("flag", .string("true"), "must be JSON true or false, not a string"),
        ("flag", .number("1"), "must be JSON true or false, not a number"),
        // Absent in JSON is null or no key: "" is a string, refused where a number is due.
        ("count", .string(""), "must be a JSON number, not a string"),
    ])
    func jsonValuesMustHaveTheirFieldsType(_ field: String, _ value: ImportedValue, _ message: String) {
        let outcome = RecordValidator(resource: Self.withNote).validate(["idNumber": .string("11010519491231002X"), field: value], line: 3)
        guard case .failure(let issues) = outcome else { Issue.record("accepted \(value) for \(field)"); return }
        #expect(issues == [RecordIssue(line: 3, field: field, message: message)])
    }

    /// A legacy 15-digit number is converted, and the row says which field was.
    @Test func legacyNumbersAreConvertedAndNamed() {
        guard case .success(let valid) = RecordValidator(resource: Self.resource).validate(["idNumber": " 110101800101103 "], line: 2) else {
            Issue.record("refused"); return
        }
        #expect(valid.subject == CitizenID.make(addressCode: "110101", birthDate: "19800101", sequence: 103) && valid.converted == ["idNumber"])
    }

    /// A header is checked once: unknown columns, then required fields without a column, all at line 1.
    @Test func headerProblemsAreAtLineOne() {
        let validator = RecordValidator(resource: Self.resource)
        #expect(validator.headerIssues(["idNumber", "count"]).isEmpty)
        #expect(validator.headerIssues(["idNumbr", "count", "extra"]) == [
            RecordIssue(line: 1, field: "idNumbr", message: "is not a field of resource R1"),
            RecordIssue(line: 1, field: "extra", message: "is not a field of resource R1"),
            RecordIssue(line: 1, field: "idNumber", message: "missing from the header (required)"),
        ])
    }
}

@Suite struct CanonicalJSONTests {
    /// The canonical text must be valid JSON that an independent parser reads back to the same value.
    @Test func canonicalTextRoundTripsThroughJSONDecoder() throws {
        let value: JSONValue = ["b": "引号\"和\\反斜杠\n", "a": .integer(-7), "c": [.bool(false), .null, .number(2.5)], "d": ["z": "1", "y": "2"]]
        let text = value.canonicalText
        #expect(text.hasPrefix(#"{"a":-7,"b":"#))
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == value)
    }
}

/// The policy as a pure function: every branch with its code.
@Suite struct PolicyTests {
    static let peer = try! ProvinceCode("11")
    static func resource(_ share: ShareType) -> CatalogueResource {
        var r = RecordValidatorTests.resource
        r.code = "1010010001"
        r.sharing = .init(type: share)
        r.fields.append(CatalogueField(name: "name", title: "姓名", type: .string, sensitive: true, masking: .name))
        return r
    }
    static func decide(_ share: ShareType, matter: String = "social-insurance-transfer", fields: [String]? = nil, grants: [Grant] = [],
                       caseReference: String? = nil, matters: [Matter] = Matter.defaults) -> PolicyDecision {
        Policy.decide(resource: resource(share), resourceCode: "1010010001", matterCode: matter, matters: matters,
                      requestedFields: fields, caseReference: caseReference, peer: peer, grants: grants)
    }

    /// A matter that requires a case reference refuses a request without one (blank counts as none), with its own code.
    @Test func aMatterThatRequiresACaseReferenceRefusesWithoutOne() {
        let matters = Matter.defaults.map { matter in
            var matter = matter
            matter.requiresCaseReference = matter.code == "social-insurance-transfer"
            return matter
        }
        for missing in [nil, "", "  "] {
            let decision = Self.decide(.unconditional, caseReference: missing, matters: matters)
            #expect(decision.outcome == .deny && decision.code == "tongban.case-reference.required" && decision.status == 400)
        }
        #expect(Self.decide(.unconditional, caseReference: "社保-2026-1", matters: matters).outcome == .allow)
        #expect(Self.decide(.unconditional, caseReference: String(repeating: "x", count: 129), matters: matters).code == "tongban.request.invalid")
        #expect(Self.decide(.unconditional, matter: "household-transfer", matters: matters).outcome == .allow)
    }

    /// A requested field the resource does not have is named as missing from the resource; one it has that the
    /// matter does not need, as not needed.
    @Test func aFieldTheResourceLacksIsNotCalledUnneeded() {
        let missing = Self.decide(.unconditional, fields: ["idNumber", "nickname"])
        #expect(missing.code == "tongban.policy.fields", "\(missing.code)")
        #expect(missing.reason == "field nickname does not exist in resource 1010010001", "\(missing.reason)")
        let unneeded = Self.decide(.unconditional, fields: ["count"])
        #expect(unneeded.code == "tongban.policy.fields" && unneeded.reason.contains("field count is not needed by matter social-insurance-transfer"),
                "\(unneeded.reason)")
    }

    @Test func branches() {
        #expect(Self.decide(.none).code == "tongban.policy.not-shared")
        let open = Self.decide(.unconditional)
        #expect(open.outcome == .allow && open.fields == ["idNumber", "name"] && open.masked == ["idNumber", "name"])
        #expect(Self.decide(.unconditional, fields: ["count"]).code == "tongban.policy.fields")
        #expect(Self.decide(.unconditional, matter: "nope").code == "tongban.matter.unknown")
        #expect(Self.decide(.unconditional, matter: "degree-verification").code == "tongban.matter.not-applicable")
        #expect(Self.decide(.conditional).code == "tongban.policy.no-grant")
        let now = Date()
        let grant = Grant(id: "G1", peer: "11", resource: "1010010001", matter: "social-insurance-transfer", fields: ["idNumber"],
                          clearFields: [], validFrom: now.addingTimeInterval(-10), validUntil: now.addingTimeInterval(3600))
        #expect(Self.decide(.conditional, grants: [grant]).fields == ["idNumber"])
        #expect(Self.decide(.conditional, fields: ["name"], grants: [grant]).code == "tongban.policy.fields")
        var expired = grant
        expired.validUntil = now.addingTimeInterval(-1)
        #expect(Self.decide(.conditional, grants: [expired]).code == "tongban.policy.no-grant")
        var otherPeer = grant
        otherPeer.peer = "44"
        #expect(Self.decide(.conditional, grants: [otherPeer]).code == "tongban.policy.no-grant")
        #expect(Masking.mask("11010519491231002X", rule: .idNumber) == "110105********002X")
        #expect(Masking.mask("张三", rule: .name) == "张*")
        // Eighteen characters that are not bytes (full-width digits) take the general path and the same shape.
        #expect(Masking.mask("１１０１０５１９４９１２３１００２Ｘ", rule: .idNumber) == "１１０１０５********００２Ｘ")
        #expect(Masking.mask("1101051949", rule: .idNumber) == "**********")
        #expect(Masking.mask("", rule: .name) == "***" && Masking.mask("ab", rule: nil) == "***" && Masking.mask(.integer(7), rule: .name) == "***")
        #expect(Masking.mask("A very long address line", rule: .full) == "************")
        // A CR LF pair is one character: not counted as two by the byte path.
        #expect(Masking.mask("a\r\nbc", rule: .name) == "a***")
        #expect(Masking.mask("阿依古丽·买买提", rule: .name) == "阿*******")
    }

    /// The scalar path gives what counting characters gives, and refuses text where a character can be several
    /// scalars (combining marks, emoji sequences, Hangul jamo, CR LF) or lies outside the scalars it knows.
    @Test func maskingByScalarsEqualsCountingCharacters() {
        let accepted = ["", "A", "张三", "欧阳娜娜", "阿依古丽·买买提", "11010519491231002X", "１１０１０５１９４９１２３１００２Ｘ",
                        "北京市朝阳区1号", "㐀丽", "line\nbreak", "tab\tx"]
        let refused = ["e\u{301}", "𠀀", "👩‍👩‍👧", "한국", "a\r\nb", "Zoë", "ｶﾞ", "\u{1F600}", "〪x"]
        for rule in [MaskingRule.idNumber, .name, .full, nil] {
            for text in accepted {
                var bytes: [UInt8] = []
                var contiguous = text
                #expect(contiguous.withUTF8 { Masking.appendMasked(utf8: $0, rule: rule, to: &bytes) }, "\(text)")
                #expect(String(decoding: bytes, as: UTF8.self) == Masking.maskCountingCharacters(text, rule: rule), "\(text) \(String(describing: rule))")
            }
            for text in refused {
                var bytes: [UInt8] = []
                var contiguous = text
                #expect(!contiguous.withUTF8 { Masking.appendMasked(utf8: $0, rule: rule, to: &bytes) } && bytes.isEmpty, "\(text)")
                #expect(Masking.mask(.string(text), rule: rule) == .string(Masking.maskCountingCharacters(text, rule: rule)))
            }
        }
    }
}
