/// The Tongban signing profile (docs/protocol.md): what every peer request and response must cover.
public enum TongbanProfile {
    public static let label = "tongban"
    public static let requestIDField = "Tongban-Request-Id"

    /// Covered by every request; `content-digest` and `content-type` too when there is a body.
    public static func requestComponents(hasBody: Bool) -> [ComponentIdentifier] {
        var components = ["@method", "@authority", "@path", "@query", "tongban-request-id"].map { ComponentIdentifier($0) }
        if hasBody { components += [ComponentIdentifier("content-digest"), ComponentIdentifier("content-type")] }
        return components
    }

    /// Covered by every response, binding it to the request's signature when the request had one.
    public static func responseComponents(bindingRequest: Bool) -> [ComponentIdentifier] {
        var components = ["@status", "content-digest", "content-type", "tongban-request-id"].map { ComponentIdentifier($0) }
        if bindingRequest { components.append(ComponentIdentifier("signature", req: true, key: label)) }
        return components
    }
}
