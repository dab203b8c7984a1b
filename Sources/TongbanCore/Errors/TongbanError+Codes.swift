/// Every problem code Tongban answers with, declared once with its HTTP status. Nothing else picks a status:
/// a refusal names one of these, and `Problem(_:)` renders it. `docs/protocol.md` carries the same table, and
/// a test holds the two together.
extension TongbanError.Code {
    // The caller's identity (mutual TLS, signing key).
    public static let identityMissing = Self("tongban.identity.missing", status: 403, "the TLS certificate names no province")
    public static let identityMismatch = Self("tongban.identity.mismatch", status: 403,
                                              "the signing key belongs to another province than the TLS caller")
    public static let authorityMismatch = Self("tongban.authority.mismatch", status: 421,
                                               "the signed `@authority` is not one of this gateway's names (a request meant for another gateway)")
    public static let peerUnknown = Self("tongban.peer.unknown", status: 404, "the province is not a member of the federation manifest")

    // The federation manifest (docs/protocol.md, "The federation manifest").
    public static let memberSuspended = Self("tongban.member.suspended", status: 403, "the province is suspended by the federation manifest")
    public static let certificateRevoked = Self("tongban.certificate.revoked", status: 403,
                                                "the TLS client certificate is revoked, or its key is not one of the member's pins")
    public static let keyRevoked = Self("tongban.key.revoked", status: 401, "the signing key is revoked by the federation manifest")
    public static let federationExpired = Self("tongban.federation.expired", status: 503,
                                               "this gateway's federation manifest is past `expiresAt` and its grace: exchanges stop until a fresh one arrives")
    public static let signingUnavailable = Self("tongban.signing.unavailable", status: 503,
                                                "none of this gateway's signing keys is in force in the manifest: it calls no peer until one is")
    public static let manifestInvalid = Self("tongban.manifest.invalid", status: 400,
                                             "a federation manifest (or an authority command's input) is malformed, badly signed, foreign or a rollback")

    // The signature profile (RFC 9421, RFC 9530).
    public static let signatureMissing = Self("tongban.signature.missing", status: 401, "no `tongban` signature")
    public static let signatureInvalid = Self("tongban.signature.invalid", status: 401,
                                              "unparsable, unknown key, wrong algorithm, or does not verify")
    public static let signatureIncomplete = Self("tongban.signature.incomplete", status: 401, "a profile component is not covered")
    public static let signatureExpired = Self("tongban.signature.expired", status: 401, "`created` outside the window")
    public static let signatureAlgorithm = Self("tongban.signature.algorithm", status: 401,
                                                "signed with an algorithm the receiving member does not accept (its `accepts` in the manifest)")
    public static let digestMismatch = Self("tongban.digest.mismatch", status: 400, "`Content-Digest` does not match the body")

    // The request itself.
    public static let requestInvalid = Self("tongban.request.invalid", status: 400, "malformed request (e.g. request id not a UUID)")
    public static let requestReplayed = Self("tongban.request.replayed", status: 409, "request id already used within the window")
    public static let subjectInvalid = Self("tongban.subject.invalid", status: 400,
                                            "a subject is not a valid GB 11643 citizen ID number; `detail` names its position")
    public static let querySubjects = Self("tongban.query.subjects", status: 400,
                                           "a query with no subject or more than `limits.maxSubjectsPerQuery`")
    public static let jsonInvalid = Self("tongban.json.invalid", status: 400, "the body is not JSON")
    public static let bodyTooLarge = Self("tongban.body.too-large", status: 413,
                                          "body over `limits.maxRequestBodyBytes` (16 MiB), or inflating beyond `limits.maxDecompressedBytes`")
    public static let headersTooLarge = Self("tongban.headers.too-large", status: 431,
                                             "request head over `limits.maxHeaderBytes` (16 KiB); past twice that, a plain 400 and the connection closed")
    public static let encodingUnsupported = Self("tongban.encoding.unsupported", status: 415, "a `Content-Encoding` other than gzip or deflate")
    public static let notFound = Self("tongban.not-found", status: 404, "no such endpoint")
    public static let methodNotAllowed = Self("tongban.method-not-allowed", status: 405, "wrong method")
    public static let rateLimited = Self("tongban.rate.limited", status: 429,
                                         "the calling province is over its request rate; `Retry-After` says when to try again")
    public static let overloaded = Self("tongban.overloaded", status: 503,
                                        "the listener is at its limit of requests in progress; `Retry-After: 1`")

    // Policy (docs/protocol.md, "Policy").
    public static let matterUnknown = Self("tongban.matter.unknown", status: 400, "the matter is not in the registry")
    public static let matterNotApplicable = Self("tongban.matter.not-applicable", status: 403, "the matter does not need the resource")
    public static let resourceUnknown = Self("tongban.resource.unknown", status: 404, "no such resource in this province's directory")
    public static let policyFields = Self("tongban.policy.fields", status: 403, "a requested field the matter or the grant does not cover")
    public static let policyNotShared = Self("tongban.policy.not-shared", status: 403, "the resource is 不予共享 (`none`)")
    public static let policyNoGrant = Self("tongban.policy.no-grant", status: 403,
                                           "有条件共享 (`conditional`) without an active grant for this peer, resource and matter")
    public static let caseReferenceRequired = Self("tongban.case-reference.required", status: 400,
                                                   "the matter requires a case reference (办件编号; `requiresCaseReference` in the manifest) and the request carries none")

    // Applications (共享申请; docs/workflows.md, "Applications").
    public static let applicationUnknown = Self("tongban.application.unknown", status: 404,
                                                "no application with this id (for this caller: a province sees only its own applications)")
    public static let applicationDecided = Self("tongban.application.decided", status: 409,
                                                "the application is no longer submitted (approved, refused, withdrawn or expired): a decision is final")
    public static let applicationForbidden = Self("tongban.application.forbidden", status: 403,
                                                  "only the providing province decides an application, and only the requesting province withdraws it")
    public static let applicationNotNeeded = Self("tongban.application.not-needed", status: 400,
                                                  "the resource is 无条件共享 (`unconditional`): it is obtained for a matter that needs it without an application")
    public static let applicationReasonRequired = Self("tongban.application.reason-required", status: 400,
                                                       "a refusal must give its reason; an empty or blank one is refused")
    public static let applicationDuplicate = Self("tongban.application.duplicate", status: 409,
                                                  "the application id is already used, by another application of the same province")

    // Corrections (校核纠错; docs/workflows.md, "Corrections").
    public static let correctionUnknown = Self("tongban.correction.unknown", status: 404,
                                               "no correction with this id (for this caller: a province sees only its own corrections)")
    public static let correctionResolved = Self("tongban.correction.resolved", status: 409,
                                                "the correction is no longer submitted (corrected, rejected or withdrawn): an outcome is final")
    public static let correctionForbidden = Self("tongban.correction.forbidden", status: 403,
                                                 "only the providing province resolves a correction, and only the requesting province withdraws it")
    public static let correctionReasonRequired = Self("tongban.correction.reason-required", status: 400,
                                                      "a resolution must give its reason; an empty or blank one is refused")
    public static let correctionUnchanged = Self("tongban.correction.unchanged", status: 409,
                                                 "`corrected` needs the record's field to have changed since the correction was received; it has not")
    public static let correctionDuplicate = Self("tongban.correction.duplicate", status: 409,
                                                 "the correction id is already used, by another correction of the same province")

    // This gateway's own failures: a fixed detail and the request id; the cause goes to the log only.
    public static let auditUnavailable = Self("tongban.audit.unavailable", status: 503, discloses: false,
                                              "the exchange could not be written to the audit log, so it was refused")
    public static let storeUnavailable = Self("tongban.store.unavailable", status: 503, discloses: false,
                                              "the record store failed; the request id is in the gateway's log")
    public static let internalError = Self("tongban.internal", status: 500, discloses: false,
                                           "the gateway failed; the request id is in its log")

    // Codes a gateway gives its own callers (local API, admin socket) about a peer or about itself.
    public static let daemonUnreachable = Self("tongban.daemon.unreachable", status: 503,
                                               "the CLI cannot reach its own daemon's admin socket (not running, or no permission)")
    public static let localUnauthorized = Self("tongban.local.unauthorized", status: 401, "no or unknown bearer token on the local API")
    public static let peerUnreachable = Self("tongban.peer.unreachable", status: 502,
                                             "no connection to the peer (refused at once, or no answer at all), or no usable answer")
    public static let peerTimeout = Self("tongban.peer.timeout", status: 504, "no answer within `peerClient.timeoutSeconds`")
    /// Every connection to the peer stayed busy: this gateway has too many calls to it in progress.
    public static let peerBusy = Self("tongban.peer.busy", status: 503,
                                      "every connection to the peer stayed busy for `peerClient.connectTimeoutSeconds`; not counted against the peer")
    /// The peer failed repeatedly; its circuit is open and calls fail at once until a probe succeeds.
    public static let peerCircuitOpen = Self("tongban.peer.circuit-open", status: 503,
                                             "the peer failed `peerClient.circuitFailureThreshold` calls in a row; calls fail at once until a probe succeeds")
    /// A peer's answer failed digest, signature or request binding: the caller must not trust it.
    public static let signatureRefused = Self("tongban.peer.signature-refused", status: 502,
                                              "the peer's answer did not verify (digest, signature, binding, or the province in its TLS certificate)")
    /// A peer refused with a code this gateway does not know: its text is never taken as one of ours.
    public static let peerRefused = Self("tongban.peer.refused", status: 502, "the peer refused with a code this gateway does not know")

    // Configuration and files (the CLI and the daemon's start; 400 where an admin request carries them).
    public static let provinceUnknown = Self("tongban.province.unknown", status: 400, "not a GB/T 2260 province code")
    public static let citizenIDInvalid = Self("tongban.citizen-id.invalid", status: 400, "not a valid GB 11643 citizen ID number")
    public static let configInvalid = Self("tongban.config.invalid", status: 400, "a configuration file or value is invalid")
    public static let pkiInvalid = Self("tongban.pki.invalid", status: 400, "a certificate or key is invalid for the federation")
    public static let calendarInvalid = Self("tongban.calendar.invalid", status: 400,
                                             "a working-day calendar file is unreadable or malformed; the message names the file, line and field")

    /// The table, in the order docs/protocol.md lists it.
    public static let all: [Self] = [
        identityMissing, identityMismatch, authorityMismatch, peerUnknown,
        memberSuspended, certificateRevoked, keyRevoked, federationExpired, signingUnavailable, manifestInvalid,
        signatureMissing, signatureInvalid, signatureIncomplete, signatureExpired, signatureAlgorithm, digestMismatch,
        requestInvalid, requestReplayed, subjectInvalid, querySubjects, jsonInvalid, bodyTooLarge, headersTooLarge,
        encodingUnsupported, notFound, methodNotAllowed, rateLimited, overloaded,
        matterUnknown, matterNotApplicable, resourceUnknown, policyFields, policyNotShared, policyNoGrant, caseReferenceRequired,
        applicationUnknown, applicationDecided, applicationForbidden, applicationNotNeeded, applicationReasonRequired, applicationDuplicate,
        correctionUnknown, correctionResolved, correctionForbidden, correctionReasonRequired, correctionUnchanged, correctionDuplicate,
        auditUnavailable, storeUnavailable, internalError,
        daemonUnreachable, localUnauthorized, peerUnreachable, peerTimeout, peerBusy, peerCircuitOpen, signatureRefused, peerRefused,
        provinceUnknown, citizenIDInvalid, configInvalid, pkiInvalid, calendarInvalid,
    ]

    static let byRawValue: [String: Self] = Dictionary(all.map { ($0.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
}
