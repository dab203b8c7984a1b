import Foundation

/// The application workflow as a pure state machine (no I/O): the provider applies events to its record, the
/// requester mirrors the provider's updates. Every refusal is a `TongbanError` with a stable code, so the same
/// answer reaches an administrator, a department system and a peer.
extension SharingApplication {
    /// The provider's record after `event` at `now`, or why the event cannot happen.
    public func applying(_ event: ApplicationEvent, at now: Date) throws(TongbanError) -> SharingApplication {
        try requireDecidable()
        var next = self
        next.decidedAt = now
        switch event {
        case .approve(let grant, let by):
            guard grant.peer == peer, grant.resource == resource, grant.matter == matter else {
                throw TongbanError(.requestInvalid, "the grant is not for application \(id)'s province, resource and matter")
            }
            if let outside = grant.fields.first(where: { !fields.contains($0) }) {
                throw TongbanError(.requestInvalid, "field \(outside) was not asked for in application \(id) (it asks for \(fields.joined(separator: ", "))): "
                                   + "an approval grants what was asked for, or less")
            }
            next.state = .approved
            next.grant = grant
            next.decidedBy = by
        case .refuse(let reason, let by):
            next.state = .refused
            next.reason = try Self.reason(reason, required: true)
            next.decidedBy = by
        case .withdraw(let reason, let by):
            next.state = .withdrawn
            next.reason = nil
            if let reason { next.reason = try Self.reason(reason, required: false) }
            next.decidedBy = by
        case .expire:
            guard now >= expiresAt else {
                throw TongbanError(.requestInvalid, "application \(id) does not expire before \(ISO8601.string(expiresAt))")
            }
            next.state = .expired
        }
        next.deliveredAt = nil
        return next
    }

    /// The requester's mirror after the provider's `update`, sent by `caller`; nil when it changes nothing (an update
    /// already applied, or one that says the application is still submitted). A decision from any other province, or
    /// one that contradicts a decision already received, is refused.
    public func mirroring(_ update: ApplicationUpdate, from caller: ProvinceCode) throws(TongbanError) -> SharingApplication? {
        guard direction == .outgoing, caller.rawValue == peer else {
            throw TongbanError(.applicationForbidden, "province \(caller) does not provide application \(update.id): only its provider decides it")
        }
        guard update.id == id else { throw TongbanError(.requestInvalid, "the update is for application \(update.id), not \(id)") }
        if update.state == .submitted || update.state == state && state.isFinal { return nil }
        guard state == .submitted else { throw Self.decided(self) }
        if update.state == .approved {
            guard let grant = update.grant, grant.resource == resource, grant.matter == matter else {
                throw TongbanError(.requestInvalid, "an approval of application \(id) must carry its grant, for its resource and matter")
            }
        }
        if update.state == .refused {
            _ = try Self.reason(update.reason ?? "", required: true)
        }
        var next = self
        next.state = update.state
        next.decidedAt = update.decidedAt
        next.reason = update.reason
        next.grant = update.grant
        return next
    }

    /// Refuses unless this gateway provides the application and it is still submitted: checked before an approval
    /// builds its grant, and by every event.
    public func requireDecidable() throws(TongbanError) {
        guard direction == .incoming else {
            throw TongbanError(.applicationForbidden, "application \(id) is this province's own, to province \(peer): only the provider decides it "
                               + "(withdraw it with tongbanctl applications withdraw \(id))")
        }
        guard state == .submitted else { throw Self.decided(self) }
    }

    static func decided(_ application: SharingApplication) -> TongbanError {
        let when = application.decidedAt.map { " on \(ISO8601.string($0))" } ?? ""
        return TongbanError(.applicationDecided, "application \(application.id) was already \(application.state.rawValue)\(when): a decision is final")
    }

    /// A reason as kept: trimmed, within `ApplicationSubmission.maximumText`; an empty one is refused when required.
    static func reason(_ text: String, required: Bool) throws(TongbanError) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            guard !required else {
                throw TongbanError(.applicationReasonRequired, "a refusal must give its reason (--reason \"…\"); an empty one is not a reason")
            }
            return nil
        }
        guard trimmed.count <= ApplicationSubmission.maximumText else {
            throw TongbanError(.requestInvalid, "a reason has at most \(ApplicationSubmission.maximumText) characters, not \(trimmed.count)")
        }
        return trimmed
    }
}
