import Foundation
import Testing
@testable import TongbanGateway

/// The `Date` header the listeners send (they no longer use Hummingbird's date cache; see `Listener`).
@Suite struct HTTPDateTests {
    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110 §5.6.7's example
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_825_600) == "Tue, 29 Feb 2000 12:00:00 GMT")
        #expect(HTTPDate.format(4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 GMT")
    }

    @Test func nowIsThisSecond() {
        let before = HTTPDate.format(Int(Date().timeIntervalSince1970))
        let now = HTTPDate.shared.now
        let after = HTTPDate.format(Int(Date().timeIntervalSince1970))
        #expect(now == before || now == after)
    }
}
