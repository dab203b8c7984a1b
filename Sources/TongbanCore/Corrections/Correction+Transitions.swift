import Foundation

/// The correction workflow as a pure state machine (no I/O): the provider applies events to its record, the
/// requester mirrors the provider's updates. Every refusal is a `TongbanError` with a stable code.
extension Correction {
    /// The provider's record after `event` at `now`, or why the event cannot happen.
    public func applying(_ event: CorrectionEvent, at now: Date) throws(TongbanError) -> Correction {
        try requireResolvable()
        var next = self
        next.resolvedAt = now
        switch event {
        case .correct(let reason, let by, let record):
            let kept = try Self.reason(reason, required: true)
            try requireChange(record)
            next.state = .corrected
            next.reason = kept
            next.resolvedBy = by
            next.recordChangedAt = record?.updatedAt
        case .reject(let reason, let by):
            next.state = .rejected
            next.reason = try Self.reason(reason, required: true)
            next.resolvedBy = by
        case .withdraw(let reason, let by):
            next.state = .withdrawn
            next.reason = try reason.flatMap { text throws(TongbanError) in try Self.reason(text, required: false) }
            next.resolvedBy = by
        }
        next.deliveredAt = nil
        return next
    }

    /// The rule behind `corrected`: the record's field holds a value other than the one it held when the correction
    /// arrived, and the record was written after that (by an import or `tongbanctl records set`). A record merely
    /// re-imported unchanged, or changed in another field only, does not count.
    public func requireChange(_ record: RecordFieldState?) throws(TongbanError) {
        guard let record else {
            throw TongbanError(.correctionUnchanged, "correction \(id): resource \(resource) holds no record of the subject now, so nothing was "
                               + "corrected; import the corrected record first, or resolve it rejected with the reason")
        }
        guard record.updatedAt > receivedAt, record.value != valueAtReceipt else {
            throw TongbanError(.correctionUnchanged, "correction \(id): field \(field) of the record has not changed since the correction was "
                               + "received on \(ISO8601.string(receivedAt)); import the corrected record (tongbanctl import, or records set), then resolve it")
        }
    }

    /// The requester's mirror after the provider's `update`, sent by `caller`; nil when it changes nothing (an update
    /// already applied, or one that says the correction is still submitted). An outcome from any other province, or
    /// one that contradicts an outcome already received, is refused.
    public func mirroring(_ update: CorrectionUpdate, from caller: ProvinceCode) throws(TongbanError) -> Correction? {
        guard direction == .outgoing, caller.rawValue == peer else {
            throw TongbanError(.correctionForbidden, "province \(caller) does not hold the record of correction \(update.id): only its provider resolves it")
        }
        guard update.id == id else { throw TongbanError(.requestInvalid, "the update is for correction \(update.id), not \(id)") }
        if update.state == .submitted || update.state == state && state.isFinal { return nil }
        guard state == .submitted else { throw Self.resolved(self) }
        if update.state == .corrected || update.state == .rejected { _ = try Self.reason(update.reason ?? "", required: true) }
        var next = self
        next.state = update.state
        next.resolvedAt = update.resolvedAt
        next.reason = update.reason
        return next
    }

    /// Refuses unless this gateway provides the record and the correction is still submitted.
    public func requireResolvable() throws(TongbanError) {
        guard direction == .incoming else {
            throw TongbanError(.correctionForbidden, "correction \(id) is this province's own, to province \(peer): only the provider resolves it "
                               + "(withdraw it with tongbanctl corrections withdraw \(id))")
        }
        guard state == .submitted else { throw Self.resolved(self) }
    }

    static func resolved(_ correction: Correction) -> TongbanError {
        let when = correction.resolvedAt.map { " on \(ISO8601.string($0))" } ?? ""
        return TongbanError(.correctionResolved, "correction \(correction.id) was already \(correction.state.rawValue)\(when): an outcome is final")
    }

    /// A reason as kept: trimmed, within `CorrectionSubmission.maximumText`; an empty one is refused when required.
    static func reason(_ text: String, required: Bool) throws(TongbanError) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            guard !required else {
                throw TongbanError(.correctionReasonRequired, "an outcome must give its reason (--reason \"…\"); an empty one is not a reason")
            }
            return nil
        }
        guard trimmed.count <= CorrectionSubmission.maximumText else {
            throw TongbanError(.requestInvalid, "a reason has at most \(CorrectionSubmission.maximumText) characters, not \(trimmed.count)")
        }
        return trimmed
    }
}
