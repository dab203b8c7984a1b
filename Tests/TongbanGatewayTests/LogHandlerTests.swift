import Logging
import Testing
@testable import TongbanGateway

/// One event is one line: no value — a peer's text among them — can start a line of its own in the text or
/// journal formats.
@Suite struct LogHandlerTests {
    @Test func controlCharactersAreEscaped() {
        let forged = "tongban.x\n<2>CRITICAL forged line\r\u{1B}[31mred\u{85}\u{2028}"
        let escaped = GatewayLogHandler.escaped(forged)
        #expect(escaped == #"tongban.x\n<2>CRITICAL forged line\r\u{1B}[31mred\u{85}\u{2028}"#)
        #expect(!escaped.unicodeScalars.contains { GatewayLogHandler.isControl($0) })
        let rendered = GatewayLogHandler.render(["tongban.code": .string(forged), "tongban.peer": "31"])
        #expect(!rendered.contains("\n") && rendered.contains(#"tongban.code=tongban.x\n<2>CRITICAL"#))
        // Plain text, Chinese included, is left as it is.
        #expect(GatewayLogHandler.escaped("上海市 peer=31 \"quoted\"") == "上海市 peer=31 \"quoted\"")
    }
}
