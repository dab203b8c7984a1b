import FuzzSupport
import RawStructuredFieldValues
import TongbanSigning

// The structured-field dictionary reader (`StructuredDictionary.parse`: `FastDictionaryParser`, falling back to
// the library), differential against swift-http-structured-headers' own parser on the same text:
//
// - the same decision: both accept or both refuse;
// - when both accept, the same dictionary: the same keys in the same order, each member equal (`ItemOrInnerList`'s
//   `==`: bare items, inner lists and parameters, in order);
// - every accepted member is written by `StructuredDictionary.serialize` (fast writer, then the library's) as the
//   library's serialiser writes it, and that text reads back to a member written the same way.
//
// The input is taken as a header field value would be: bytes read as UTF-8, invalid sequences replaced (a
// `String` is what both the gateway and the library are handed).
Fuzz.run { input in
    let field = String(decoding: input, as: UTF8.self)
    let ours: [(String, ItemOrInnerList)]? = (try? StructuredDictionary.parse(field)).map { Array($0) }
    var parser = StructuredFieldValueParser(Array(field.utf8))
    let library: [(String, ItemOrInnerList)]? = (try? parser.parseDictionaryFieldValue()).map { Array($0) }

    switch (ours, library) {
    case (nil, nil):
        return
    case (.some, nil):
        Fuzz.difference("sf", "Tongban accepts a dictionary the library refuses", input: input)
    case (nil, .some):
        Fuzz.difference("sf", "Tongban refuses a dictionary the library accepts", input: input)
    case (let ours?, let library?):
        guard ours.count == library.count, zip(ours, library).allSatisfy({ $0.0 == $1.0 && $0.1 == $1.1 }) else {
            Fuzz.difference("sf", "different dictionaries: Tongban \(ours), library \(library)", input: input)
        }
        for (key, member) in ours {
            var serializer = StructuredFieldValueSerializer()
            let reference = (try? serializer.writeListFieldValue([member])).map { String(decoding: $0, as: UTF8.self) }
            let written = StructuredDictionary.serialize(member)
            guard written == reference else {
                Fuzz.difference("sf", "member \(key) serialised as \(written ?? "nil"), the library writes \(reference ?? "nil")", input: input)
            }
            // Written text is canonical: read back and written again, it is the same text. (Not the same member: a
            // decimal 0.00 is written 0.0, which reads back with another exponent; RFC 9651 §4.1.5.)
            if let written {
                let again = (try? StructuredDictionary.parse("k=" + written)).flatMap { $0.first(where: { $0.0 == "k" })?.1 }
                guard let again, StructuredDictionary.serialize(again) == written else {
                    Fuzz.difference("sf", "member \(key) written as \(written) reads back as \(String(describing: again))", input: input)
                }
            }
        }
    }
}
