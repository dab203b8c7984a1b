/// An RFC 9457 problem document (`application/problem+json`) with Tongban's stable `code` and the request id
/// that matches the gateway's log line.
public struct Problem: Codable, Sendable, Equatable, Error {
    public static let mediaType = "application/problem+json"

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var code: String
    public var requestId: String?

    public init(status: Int, code: TongbanError.Code, title: String = "", detail: String? = nil, requestId: String? = nil) {
        self.type = "https://tongban.gov.cn/problems/" + code.rawValue
        self.title = title.isEmpty ? Self.reasonPhrases[status] ?? "Error" : title
        self.status = status
        self.detail = detail
        self.code = code.rawValue
        self.requestId = requestId
    }

    static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
        431: "Request Header Fields Too Large",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
