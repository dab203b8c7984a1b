import Foundation
import Testing
@testable import TongbanCore

@Suite struct CitizenIDTests {
    @Test(arguments: ["11010519491231002X", "440524188001010014", "11010519491231002x"])
    func acceptsKnownGoodNumbers(_ number: String) throws {
        let id = try CitizenID(number)
        #expect(id.value == number.uppercased())
    }

    @Test func decodesItsParts() throws {
        let id = try CitizenID("11010519491231002X")
        #expect(id.addressCode == "110105")
        #expect(id.birthDate == "19491231")
        #expect(id.isMale == false)
        #expect(try CitizenID("440524188001010014").isMale)
    }

    @Test func masksForDisplayAndInterpolation() throws {
        let id = try CitizenID("11010519491231002X")
        #expect(id.masked == "110105********002X")
        #expect("\(id)" == "110105********002X")
    }

    @Test(arguments: [
        ("110105194912310021", CitizenID.Failure.checkCharacter),
        ("440524188001010015", .checkCharacter),
        ("1101051949123100", .format),
        ("11010519491231002Y", .format),
        ("A1010519491231002X", .format),
        ("", .format),
    ])
    func refusesMalformedNumbers(_ number: String, _ failure: CitizenID.Failure) {
        #expect { try CitizenID(number) } throws: { ($0 as? TongbanError)?.citizenIDFailure == failure }
    }

    @Test(arguments: ["19490230", "19490229", "19491301", "19490000", "18491231"])
    func refusesImpossibleBirthDates(_ date: String) {
        let number = CitizenID.make(addressCode: "110105", birthDate: date, sequence: 2)
        #expect { try CitizenID(number) } throws: { ($0 as? TongbanError)?.citizenIDFailure == .birthDate }
    }

    @Test func acceptsLeapDayAndRefusesFutureBirthDate() throws {
        _ = try CitizenID(CitizenID.make(addressCode: "110105", birthDate: "20000229", sequence: 1))
        let today = Date(timeIntervalSince1970: 1_699_963_200)  // 2023-11-14 12:00 UTC, 20:00 in Beijing
        let future = CitizenID.make(addressCode: "110105", birthDate: "20231115", sequence: 1)
        #expect { try CitizenID(future, today: today) } throws: { ($0 as? TongbanError)?.citizenIDFailure == .birthDate }
        _ = try CitizenID(CitizenID.make(addressCode: "110105", birthDate: "20231114", sequence: 1), today: today)
    }

    @Test(arguments: ["999999", "110199", "460000".replacingOccurrences(of: "0000", with: "9999")])
    func refusesNeverIssuedAddressCodes(_ code: String) {
        let number = CitizenID.make(addressCode: code, birthDate: "19800101", sequence: 11)
        #expect { try CitizenID(number) } throws: { ($0 as? TongbanError)?.citizenIDFailure == .addressCode }
    }

    @Test func acceptsRetiredAddressCodes() throws {
        // 110103 崇文区 was merged into 东城区 in 2010; numbers issued before keep it.
        let division = try #require(AdministrativeDivisions.shared.divisions["110103"])
        #expect(division.lastRevision < 201904)
        _ = try CitizenID(CitizenID.make(addressCode: "110103", birthDate: "19700101", sequence: 15))
    }

    /// The check on the bytes of a canonical number (`checkCanonical`) against the general checks, which a leading
    /// space sends the same number through: same value or same failure, for valid numbers and for every kind of
    /// defect, single-digit changes included.
    @Test func theCanonicalCheckAgreesWithTheGeneralOne() throws {
        var generator = SystemRandomNumberGenerator()
        let today = CitizenID.dateNumber(Date())
        var numbers = ["11010519491231002X", "440524188001010014", "110105194912310021", "999999198001010011", "11010520991231002X"]
        for _ in 0..<3_000 {
            let code = ["110105", "440524", "310101", "110103", "999999", "460999"].randomElement(using: &generator)!
            let date = String(format: "%04d%02d%02d", Int.random(in: 1840...2030, using: &generator), Int.random(in: 0...13, using: &generator),
                              Int.random(in: 0...32, using: &generator))
            var bytes = Array(CitizenID.make(addressCode: code, birthDate: date, sequence: Int.random(in: 0...999, using: &generator)).utf8)
            if Bool.random(using: &generator) { bytes[Int.random(in: 0..<18, using: &generator)] = Array("0123456789Xx ".utf8).randomElement(using: &generator)! }
            numbers.append(String(decoding: bytes, as: UTF8.self))
        }
        var passed = 0
        for number in numbers {
            let fast = Result { () throws(TongbanError) in try CitizenID(number, todayNumber: today).value }
            let general = Result { () throws(TongbanError) in try CitizenID(" " + number, todayNumber: today).value }
            switch (fast, general) {
            case (.success(let a), .success(let b)):
                #expect(a == b)
                passed += 1
            case (.failure(let a), .failure(let b)):
                #expect(a.citizenIDFailure == b.citizenIDFailure && a.message == b.message, "\(a.citizenIDFailure as Any) \(b.citizenIDFailure as Any)")
            default:
                Issue.record("the two checks disagree on a number (position of the change not shown: personal-data rule)")
            }
        }
        #expect(passed > 100 && passed < numbers.count - 100)
    }

    @Test func convertsLegacyFifteenDigitNumbers() throws {
        let id = try CitizenID("110105491231002")
        #expect(id.value == "11010519491231002X")
    }
}
