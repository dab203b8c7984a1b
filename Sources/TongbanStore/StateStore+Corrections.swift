import Foundation
import GRDB
import TongbanCore

extension StateStore {
    /// Stores a new correction, or returns the one already stored under its id (nothing is changed then): a
    /// submission sent again after a lost answer finds the first.
    public func insertCorrection(_ correction: Correction) async throws(TongbanError) -> Correction? {
        do {
            let text = try Self.text(correction)
            return try await pool.write { db -> Correction? in
                if let existing = try Self.fetchCorrection(db, id: correction.id) { return existing }
                try db.execute(sql: """
                    INSERT INTO corrections(id, direction, peer, state, due_date, received_at, correction) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [correction.id, correction.direction.rawValue, correction.peer, correction.state.rawValue,
                                     correction.dueDate.description, correction.receivedAt.timeIntervalSince1970, text])
                return nil
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot store correction \(correction.id): \(error)")
        }
    }

    public func correction(id: String) async throws(TongbanError) -> Correction? {
        do { return try await pool.read { db in try Self.fetchCorrection(db, id: id) } } catch {
            throw TongbanError(.storeUnavailable, "cannot read correction \(id): \(error)")
        }
    }

    /// Corrections, oldest first, of one direction and state when given.
    public func corrections(direction: CorrectionDirection?, state: CorrectionState?) async throws(TongbanError) -> [Correction] {
        do {
            return try await pool.read { db in
                var conditions: [String] = []
                var arguments: [any DatabaseValueConvertible] = []
                if let direction { conditions.append("direction = ?"); arguments.append(direction.rawValue) }
                if let state { conditions.append("state = ?"); arguments.append(state.rawValue) }
                let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                return try String.fetchAll(db, sql: "SELECT correction FROM corrections \(filter) ORDER BY received_at, id",
                                           arguments: StatementArguments(arguments)).map(Self.decodeCorrection)
            }
        } catch {
            throw TongbanError(.storeUnavailable, "cannot read corrections: \(error)")
        }
    }

    /// Changes correction `id` in one transaction: `transition` (the pure state machine) gets the stored record and
    /// returns the next one, or nil for no change, or throws a refusal; with the change, the message for the peer is
    /// put in the outbox. Returns the record before and after.
    public func updateCorrection(_ id: String, outbox: (@Sendable (Correction) -> OutboxMessage?)?, at now: Date,
                                 _ transition: @escaping @Sendable (Correction) throws(TongbanError) -> Correction?)
        async throws(TongbanError) -> (before: Correction, after: Correction)? {
        do {
            let result = try await pool.write { db -> (Correction, Correction)? in
                guard let stored = try Self.fetchCorrection(db, id: id) else { throw TongbanError(.correctionUnknown, "no correction \(id)") }
                guard let next = try transition(stored) else { return nil }
                try db.execute(sql: "UPDATE corrections SET state = ?, correction = ? WHERE id = ?", arguments: [next.state.rawValue, try Self.text(next), id])
                if let message = outbox?(next) { try Self.enqueue(db, message, at: now) }
                return (stored, next)
            }
            return result.map { (before: $0.0, after: $0.1) }
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.storeUnavailable, "cannot update correction \(id): \(error)")
        }
    }

    static func fetchCorrection(_ db: Database, id: String) throws -> Correction? {
        try String.fetchOne(db, sql: "SELECT correction FROM corrections WHERE id = ?", arguments: [id]).map(decodeCorrection)
    }

    static func decodeCorrection(_ text: String) throws -> Correction {
        try JSONCoding.decoder().decode(Correction.self, from: Data(text.utf8))
    }

    static func text(_ correction: Correction) throws -> String {
        String(decoding: try JSONCoding.encoder().encode(correction), as: UTF8.self)
    }
}
