import Foundation
import PostgresNIO
import TongbanCore
import TongbanStore

extension PostgresStore {
    public func insertCorrection(_ correction: Correction) async throws(TongbanError) -> Correction? {
        let text = try Self.text(correction)
        let logger = self.logger
        return try await transaction("cannot store correction \(correction.id)") { connection -> Correction? in
            let inserted = try await connection.query("""
                INSERT INTO corrections(id, direction, peer, state, due_date, received_at, correction)
                VALUES (\(correction.id), \(correction.direction.rawValue), \(correction.peer), \(correction.state.rawValue),
                        \(correction.dueDate.description), \(correction.receivedAt.timeIntervalSince1970), \(text))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger).collect()
            if !inserted.isEmpty { return nil }
            return try await Self.fetchCorrection(connection, id: correction.id, logger: logger)
        }
    }

    public func correction(id: String) async throws(TongbanError) -> Correction? {
        let logger = self.logger
        return try await read("cannot read correction \(id)") {
            try await client.withConnection { connection in try await Self.fetchCorrection(connection, id: id, logger: logger) }
        }
    }

    public func corrections(direction: CorrectionDirection?, state: CorrectionState?) async throws(TongbanError) -> [Correction] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let direction { binds.append(direction.rawValue); conditions.append("direction = $\(binds.count)") }
        if let state { binds.append(state.rawValue); conditions.append("state = $\(binds.count)") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let query = PostgresQuery(unsafeSQL: "SELECT correction FROM corrections \(filter) ORDER BY received_at, id COLLATE \"C\"", binds: binds)
        let logger = self.logger
        return try await read("cannot read corrections") {
            var result: [Correction] = []
            for try await text in try await client.query(query, logger: logger).decode(String.self) { result.append(try Self.decodeCorrection(text)) }
            return result
        }
    }

    public func updateCorrection(_ id: String, outbox: (@Sendable (Correction) -> OutboxMessage?)?, at now: Date,
                                 _ transition: @escaping @Sendable (Correction) throws(TongbanError) -> Correction?)
        async throws(TongbanError) -> (before: Correction, after: Correction)? {
        let logger = self.logger
        let result = try await transaction("cannot update correction \(id)") { connection -> (Correction, Correction)? in
            var text: String?
            for try await stored in try await connection.query("SELECT correction FROM corrections WHERE id = \(id) FOR UPDATE",
                                                               logger: logger).decode(String.self) { text = stored }
            guard let text else { throw TongbanError(.correctionUnknown, "no correction \(id)") }
            let stored = try Self.decodeCorrection(text)
            guard let next = try transition(stored) else { return nil }
            try await connection.query("UPDATE corrections SET state = \(next.state.rawValue), correction = \(try Self.text(next)) WHERE id = \(id)",
                                       logger: logger)
            if let message = outbox?(next) { try await Self.enqueue(connection, message, at: now, logger: logger) }
            return (stored, next)
        }
        return result.map { (before: $0.0, after: $0.1) }
    }

    static func fetchCorrection(_ connection: PostgresConnection, id: String, logger: Logger) async throws -> Correction? {
        var result: Correction?
        for try await text in try await connection.query("SELECT correction FROM corrections WHERE id = \(id)", logger: logger).decode(String.self) {
            result = try decodeCorrection(text)
        }
        return result
    }

    static func decodeCorrection(_ text: String) throws -> Correction {
        try JSONCoding.decoder().decode(Correction.self, from: Data(text.utf8))
    }

    static func text(_ correction: Correction) throws(TongbanError) -> String {
        do { return String(decoding: try JSONCoding.encoder().encode(correction), as: UTF8.self) } catch {
            throw TongbanError(.storeUnavailable, "cannot encode correction \(correction.id): \(error)")
        }
    }
}
