import Foundation
import NIOCore
import TongbanCore

/// The JSON body of a peer request, decoded only once it is known to be JSON text: a body that is not is refused as
/// such (400 `tongban.json.invalid`), whatever `JSONDecoder` would have let through in members it skips.
enum RequestJSON {
    static func requireJSONText(_ body: ByteBuffer) throws(Problem) {
        let failure: TongbanError? = body.withUnsafeReadableBytes { bytes in
            do throws(TongbanError) {
                try JSONValue.validate(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw Problem(.jsonInvalid, detail: failure.message) }
    }

    /// `T` from `body`; `what` names it in the refusal ("an application").
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, what: String) throws -> T {
        try requireJSONText(body)
        do { return try JSONCoding.decoder().decode(T.self, from: Data(body.readableBytesView)) } catch {
            throw Problem(.requestInvalid, detail: "the body is not \(what): \(error)")
        }
    }
}
