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

    /// A refusal with a code of the table (`TongbanError+Codes.swift`), which gives its status.
    public init(_ code: TongbanError.Code, detail: String? = nil, requestId: String? = nil) {
        self.type = "https://tongban.gov.cn/problems/" + code.rawValue
        self.title = Self.reasonPhrases[code.status] ?? "Error"
        self.status = code.status
        self.detail = detail
        self.code = code.rawValue
        self.requestId = requestId
    }

    /// The problem a peer or local client sees for a Tongban error. A code that does not disclose (a store
    /// error, a file path) gets a fixed detail; its message belongs in the log only.
    public init(_ error: TongbanError, requestId: String?) {
        self.init(error.code, detail: error.code.discloses ? error.message : Self.undisclosed, requestId: requestId)
    }

    /// The detail of every internal failure: nothing of the cause, only where to look.
    public static let undisclosed = "the gateway failed; quote the request id to its operators"

    /// The declared code this problem names, or nil when it names one this gateway does not know (a peer's).
    public var knownCode: TongbanError.Code? { TongbanError.Code(rawValue: code) }

    static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 421: "Misdirected Request",
        422: "Unprocessable Content", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
