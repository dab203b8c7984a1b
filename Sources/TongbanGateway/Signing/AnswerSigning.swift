import NIOCore
import TongbanClient
import TongbanSigning

/// How every peer-listener answer is made ready to leave, whichever path built it (`ResponseSigningMiddleware`,
/// `PeerFastPath`): a body of 1 KiB or more compressed as `Accept-Encoding` allows (gzip preferred, then deflate),
/// `Vary`, `Content-Length`, `Content-Type` (JSON unless set), `Content-Digest` over the bytes sent, and a
/// `tongban` signature over `@status`, `content-digest`, `content-type`, `tongban-request-id` and — when `request`
/// is given — the request's signature, binding the answer to the question.
enum AnswerSigning {
    struct Signed {
        /// The answer's fields in order, signature included.
        var fields: [(name: String, value: String)]
        /// The body as sent, and before compression.
        var body: ByteBuffer
        var uncompressed: ByteBuffer
        /// `Signature-Input` and `Signature`, for the audit entry.
        var signatureFields: String
    }

    static func sign(status: Int, fields: [(name: String, value: String)], body uncompressed: ByteBuffer, acceptEncoding: String?,
                     compressionLevel: Int, request: HTTPMessageView?, signer: MessageSigner) throws -> Signed {
        var fields = fields
        var body = uncompressed
        if body.readableBytes >= ContentCoding.minimumSize, value(of: "Content-Encoding", in: fields) == nil,
           let coding = ContentCoding.preferred(acceptEncoding) {
            body = try coding.encode(body, level: compressionLevel)
            set("Content-Encoding", coding.rawValue, in: &fields)
        }
        set("Vary", "Accept-Encoding", in: &fields)
        set("Content-Length", String(body.readableBytes), in: &fields)
        if value(of: "Content-Type", in: fields) == nil { set("Content-Type", "application/json", in: &fields) }
        set(ContentDigest.fieldName, ContentDigest.field(for: body.readableBytesView, algorithms: [signer.digestAlgorithm]), in: &fields)
        let view = HTTPMessageView.response(status: status, fields: fields)
        let signed = try signer.sign(view, request: request, covering: TongbanProfile.responseComponents(bindingRequest: request != nil))
        set(SignatureFields.inputName, signed.input, in: &fields)
        set(SignatureFields.signatureName, signed.signature, in: &fields)
        return Signed(fields: fields, body: body, uncompressed: uncompressed, signatureFields: signed.input + " " + signed.signature)
    }

    /// Replaces every line of field `name` with one, in the first one's place, or appends it.
    static func set(_ name: String, _ value: String, in fields: inout [(name: String, value: String)]) {
        if let first = fields.firstIndex(where: { HTTPMessageView.sameName($0.name, name) }) {
            fields[first].value = value
            var index = fields.count - 1
            while index > first {
                if HTTPMessageView.sameName(fields[index].name, name) { fields.remove(at: index) }
                index -= 1
            }
        } else {
            fields.append((name, value))
        }
    }

    static func value(of name: String, in fields: [(name: String, value: String)]) -> String? {
        fields.first { HTTPMessageView.sameName($0.name, name) }?.value
    }
}
