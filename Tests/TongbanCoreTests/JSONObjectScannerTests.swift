import Testing
import TongbanCore

/// The scanner refuses every text that is not in the store's shape, and finds the members of one that is.
@Suite struct JSONObjectScannerTests {
    @Test func scannerRefusesWhatTheStoreDoesNotWrite() {
        for text in [#"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#, #"{"a\"b":1}"#, #"{"名":1}"#, "{\"a\u{1}\":1}", #"{"a":1"#, #"{"a":1}x"#, #"["a"]"#, #"{"a":tru}"#, #"{"a":"x}"#, #"{"a":}"#, ""] {
            #expect(JSONObjectScanner.members(of: text) == nil, "\(text)")
        }
        let members = JSONObjectScanner.members(of: #" { "a" : [1,{"x":"]"}] , "b":"}" ,"c":null } "#)
        #expect(members?.map { String($0.key) } == ["a", "b", "c"])
        #expect(members?.map { String($0.value) } == [#"[1,{"x":"]"}]"#, #""}""#, "null"])
        #expect(JSONObjectScanner.members(of: "{}")?.isEmpty == true)
    }
}
