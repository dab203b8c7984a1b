import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// Who the CLI asks as: a department and an operator, recorded in both provinces' audit logs.
struct RequesterOptions: ParsableArguments {
    @Option(name: .long, help: "Requesting department's code.") var department = "admin"
    @Option(name: .long, help: "Requesting department's name.") var departmentName = "网关管理员"
    @Option(name: .long, help: "Operator id.") var `operator` = ProcessInfo.processInfo.environment["USER"] ?? "tongbanctl"

    var requester: Requester { Requester(departmentCode: department, departmentName: departmentName, operatorId: `operator`) }
}

/// `tongbanctl query --peer CODE --resource CODE --matter CODE SUBJECT...`: records from a peer, signed both ways.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Query a peer's records for a matter (through the local gateway).")
    @OptionGroup var socket: SocketOption
    @OptionGroup var who: RequesterOptions
    @Option(name: .long, help: "The peer province to ask (a configured peer's code).") var peer: String
    @Option(name: .long, help: "The resource code in the peer's directory.") var resource: String
    @Option(name: .long, help: "The matter the records are for (see 'tongbanctl matters list').") var matter: String
    @Option(name: .long, help: "Comma-separated fields wanted (default: all the policy allows).") var fields: String?
    @Option(name: .long, help: "The case (办件编号) the records are for; recorded in both audits, required by some matters.") var caseReference: String?
    @Argument(help: "Subject keys (citizen ID numbers), each once.") var subjects: [String]
    @Flag(name: .long, help: "Print JSON (the default and only format); errors too, as problem documents.") var json = false

    func validate() throws {
        if let problem = QueryRequest.repeatedSubjectProblem(in: subjects) { throw ValidationError(problem) }
    }

    func run() async throws {
        Console.jsonErrors = json
        let query = QueryRequest(resource: resource, matter: matter, requester: who.requester, subjects: subjects,
                                 fields: fields.map { $0.split(separator: ",").map(String.init) }, caseReference: caseReference)
        try await Outbound.send(socket, endpoint: "query", peer: peer, body: try JSONCoding.encoder().encode(query))
    }
}

/// `tongbanctl verify --peer CODE --resource CODE --matter CODE --subject ID --claim field=value...`.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Ask a peer to confirm or deny claims, without disclosing values.")
    @OptionGroup var socket: SocketOption
    @OptionGroup var who: RequesterOptions
    @Option(name: .long, help: "The peer province to ask (a configured peer's code).") var peer: String
    @Option(name: .long, help: "The resource code in the peer's directory.") var resource: String
    @Option(name: .long, help: "The matter the claims are for (see 'tongbanctl matters list').") var matter: String
    @Option(name: .long, help: "The subject key (citizen ID number).") var subject: String
    @Option(name: .long, help: "field=value (repeatable, each field once).") var claim: [String]
    @Option(name: .long, help: "The case (办件编号) the answer is for; recorded in both audits, required by some matters.") var caseReference: String?
    @Flag(name: .long, help: "Print JSON (the default and only format); errors too, as problem documents.") var json = false

    func validate() throws { _ = try Self.claims(claim) }

    /// The claims as field → value; a claim without `=` or a field claimed twice (which kept only the last) is refused.
    static func claims(_ items: [String]) throws -> [String: String] {
        var claims: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else { throw ValidationError("--claim '\(item)': not field=value") }
            let field = String(item[..<eq])
            guard claims[field] == nil else { throw ValidationError("--claim: field \(field) is claimed twice; claim each field once") }
            claims[field] = String(item[item.index(after: eq)...])
        }
        return claims
    }

    func run() async throws {
        Console.jsonErrors = json
        let claims = try Self.claims(claim)
        let verify = VerifyRequest(resource: resource, matter: matter, requester: who.requester, subject: subject, claims: claims, caseReference: caseReference)
        try await Outbound.send(socket, endpoint: "verify", peer: peer, body: try JSONCoding.encoder().encode(verify))
    }
}

enum Outbound {
    static func send(_ socket: SocketOption, endpoint: String, peer: String, body: Data) async throws {
        let result: OutboundResult
        do { result = try await socket.client.post("/v1/outbound/\(endpoint)?peer=\(peer)", body: body, as: OutboundResult.self) } catch { throw Console.fail(error) }
        try Console.json(result)
        if result.status != 200 { throw ExitCode(1) }
    }
}
