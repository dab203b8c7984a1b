import Testing
import TongbanStore

/// Records packed for an import come back exactly as appended.
@Suite struct RecordBatchTests {
    @Test func recordsComeBackAsAppended() {
        let pairs = [("11010519491231002X", #"{"name":"张三"}"#), ("", ""), ("110105194912310021", #"{"address":"北京市东城区 \"一号\""}"#),
                     ("s", String(repeating: "长", count: 5_000))]
        var batch = RecordBatch()
        #expect(batch.count == 0)
        for (subject, json) in pairs { batch.append(subject: subject, fieldsJSON: json) }
        #expect(batch.count == pairs.count)
        for (index, (subject, json)) in pairs.enumerated() {
            #expect(batch.subject(at: index) == subject)
            #expect(batch.fieldsJSON(at: index) == json)
            #expect(batch.subject(at: index, equals: subject))
            #expect(!batch.subject(at: index, equals: subject + "0"))
        }
        #expect(!batch.subject(at: 0, equals: "11010519491231002x"))
        let fromPairs = RecordBatch(pairs.map { (subject: $0.0, fieldsJSON: $0.1) })
        #expect((0..<fromPairs.count).map { fromPairs.fieldsJSON(at: $0) } == pairs.map(\.1))
    }
}
