/// Why a signing key is not accepted, with the code that refuses the request.
public struct KeyRefusal: Error, Sendable, Equatable {
    public var code: TongbanError.Code
    public var reason: String
}
