/// The Tongban signing profile (docs/protocol.md): what every peer request and response must cover.
public enum TongbanProfile {
    public static let label = "tongban"
    public static let requestIDField = "Tongban-Request-Id"

    static let requestWithoutBody = ["@method", "@authority", "@path", "@query", "tongban-request-id"].map { ComponentIdentifier($0) }
    static let requestWithBody = requestWithoutBody + [ComponentIdentifier("content-digest"), ComponentIdentifier("content-type")]
    static let responseUnbound = ["@status", "content-digest", "content-type", "tongban-request-id"].map { ComponentIdentifier($0) }
    static let responseBound = responseUnbound + [ComponentIdentifier("signature", req: true, key: label)]

    /// Covered by every request; `content-digest` and `content-type` too when there is a body.
    public static func requestComponents(hasBody: Bool) -> [ComponentIdentifier] {
        hasBody ? requestWithBody : requestWithoutBody
    }

    /// Covered by every response, binding it to the request's signature when the request had one.
    public static func responseComponents(bindingRequest: Bool) -> [ComponentIdentifier] {
        bindingRequest ? responseBound : responseUnbound
    }
}
