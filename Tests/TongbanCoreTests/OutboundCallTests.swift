import Foundation
import Testing
import TongbanCore

/// A query entering this gateway (admin socket, local API) names each subject once: a repeat, in any of its
/// spellings (lower-case check character, the legacy 15-digit form), is refused with both positions.
@Suite struct OutboundCallTests {
    static let person = CitizenID.make(addressCode: "110105", birthDate: "19491231", sequence: 2)
    static let other = CitizenID.make(addressCode: "310104", birthDate: "19850101", sequence: 44)

    static func call(_ subjects: [String]) throws(TongbanError) -> OutboundCall {
        let requester: JSONValue = ["departmentCode": "110105", "departmentName": "公安局", "operatorId": "op-1"]
        return try OutboundCall(endpoint: "query", json: ["resource": "1010010001", "matter": "medical-registration", "requester": requester,
                                                           "subjects": .array(subjects.map { .string($0) })])
    }

    @Test func aRepeatedSubjectIsRefusedWithItsPositions() throws {
        #expect(try Self.call([Self.person, Self.other]).subjects.count == 2)
        let legacy = String(Self.person.prefix(6)) + String(Self.person.dropFirst(8).prefix(9))
        for (subjects, position) in [([Self.person, Self.other, Self.person], "subject 3 of 3 repeats subject 1"),
                                     ([Self.person.lowercased(), Self.person.uppercased()], "subject 2 of 2 repeats subject 1"),
                                     ([Self.other, legacy, Self.person], "subject 3 of 3 repeats subject 2")] {
            do {
                _ = try Self.call(subjects)
                Issue.record("\(position): accepted")
            } catch {
                #expect(error.code == .requestInvalid && error.message.contains(position), "\(error)")
                #expect(!error.message.contains(Self.person), "the refusal must not echo the number")
            }
        }
        // An invalid number is the peer's to refuse (with its own position); only repeats are refused here.
        #expect(try Self.call(["not-a-number", Self.person]).subjects.count == 2)
    }
}
