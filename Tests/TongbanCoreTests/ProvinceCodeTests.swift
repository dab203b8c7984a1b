import Foundation
import Testing
@testable import TongbanCore

@Suite struct ProvinceCodeTests {
    @Test(arguments: [("11", "北京"), ("31", "上海"), ("44", "广东"), ("65", "新疆"), ("440000", "广东"), (" 50 ", "重庆")])
    func acceptsMainlandProvinces(_ text: String, _ name: String) throws {
        let code = try ProvinceCode(text)
        #expect(code.shortName == name)
        #expect(code.rawValue.count == 2)
    }

    @Test func hasThirtyOneMainlandProvinces() {
        #expect(ProvinceCode.all.count == 31)
        #expect(ProvinceCode.all.first?.rawValue == "11")
        #expect(ProvinceCode.all.last?.rawValue == "65")
    }

    @Test func officialNamesComeFromGBT2260() throws {
        #expect(try ProvinceCode("11").officialName == "北京市")
        #expect(try ProvinceCode("45").officialName == "广西壮族自治区")
    }

    @Test(arguments: ["99", "10", "1", "110", "abc", "", "71", "81", "82", "110100"])
    func refusesUnknownCodesClearly(_ text: String) {
        #expect { try ProvinceCode(text) } throws: { error in
            guard let error = error as? TongbanError else { return false }
            return error.code == .provinceUnknown && !error.message.isEmpty
        }
    }

    @Test func provinceURIRoundTrips() throws {
        let code = try ProvinceCode("44")
        #expect(ProvinceURI.make(code) == "urn:tongban:province:44")
        #expect(ProvinceURI.parse("urn:tongban:province:44") == code)
        #expect(ProvinceURI.parse("urn:tongban:province:99") == nil)
        #expect(ProvinceURI.parse("urn:other:province:44") == nil)
    }
}
