import Foundation
import Hummingbird
import Logging
import Synchronization
import TongbanStore
import TongbanClient
import TongbanConfig
import TongbanCore

/// The admin API on the unix socket (mode 0660): what `tongbanctl` asks the running daemon.
enum AdminRoutes {
    /// Largest file `tongbanctl import` may send.
    static let maximumImport = 512 * 1024 * 1024

    static func router(state: GatewayState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware<BasicRequestContext>(discloseCauses: true))
        router.get("/v1/status") { _, _ in
            JSONResponse(await state.status())
        }
        router.post("/v1/reload") { _, _ in
            let report = await ReloadService.reload(state: state, trigger: "tongbanctl reload")
            return JSONResponse(report, status: report.applied ? .ok : .unprocessableContent)
        }
        router.post("/v1/drain") { _, _ in
            let already = state.draining.exchange(true, ordering: .relaxed)
            if !already { state.logger.notice("draining: /healthz now answers 503; new connections should go to other replicas") }
            return JSONResponse(["draining": "true"])
        }
        router.get("/v1/federation") { _, _ in JSONResponse(state.federationStatus()) }
        router.post("/v1/federation/refresh") { _, _ in
            let report = await state.refreshFederation(trigger: "tongbanctl federation refresh")
            return JSONResponse(report, status: report.outcome == "refused" || report.outcome == "unreachable" ? .unprocessableContent : .ok)
        }
        router.get("/v1/peers") { _, _ in
            let runtime = state.runtime
            let members = state.memberEndpoints()
            let statuses = await withTaskGroup(of: (Int, PeerStatus).self) { group in
                for (index, (peer, status)) in members.enumerated() {
                    group.addTask {
                        if status == .active, let refusal = state.callablePeers().refusal {
                            var held = PeerStatus(code: peer.code.rawValue, name: peer.name, url: peer.url, reachable: false)
                            held.member = status.rawValue
                            held.error = "not probed: \(refusal.message)"
                            return (index, held)
                        }
                        guard status == .active else {
                            var suspended = PeerStatus(code: peer.code.rawValue, name: peer.name, url: peer.url, reachable: false)
                            suspended.member = status.rawValue
                            suspended.error = "suspended by the federation manifest: not called"
                            return (index, suspended)
                        }
                        var probed = await runtime.peerClient.status(of: peer)
                        probed.member = status.rawValue
                        return (index, probed)
                    }
                }
                var results: [(Int, PeerStatus)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            // The TLS certificates the probes saw count for the expiry warnings too.
            for status in statuses {
                guard let notAfter = status.certificateNotAfter, let code = try? ProvinceCode(status.code),
                      status.certificateProvince == status.code else { continue }
                state.peerCertificates.record(province: code, usage: "tls", notAfter: notAfter)
            }
            return JSONResponse(statuses)
        }
        router.post("/v1/import") { request, _ in
            let report = try await importRecords(request, state: state)
            // The file, its rows and their JSON are freed by now; hand the pages back so a large import does not
            // leave the daemon holding its peak memory for the rest of its life.
            HeapPolicy.returnFreedMemory()
            return JSONResponse(report, status: report.ok ? .ok : .unprocessableContent)
        }
        router.get("/v1/catalogues") { request, _ in
            if let code = request.uri.queryParameters.get("peer") {
                let peer = try state.peer(try ProvinceCode(String(code)))
                return JSONResponse(try await state.catalogueListings(peers: [peer], includeLocal: false))
            }
            let all = request.uri.queryParameters.get("all") != nil
            if all, let refusal = state.callablePeers().refusal { throw refusal }
            return JSONResponse(try await state.catalogueListings(peers: all ? state.callablePeers().peers : [], includeLocal: true))
        }
        AdminExchangeRoutes.add(to: router, state: state)
        AdminApplicationRoutes.add(to: router, state: state)
        AdminCorrectionRoutes.add(to: router, state: state)
        AdminRecordRoutes.add(to: router, state: state)
        router.get("/v1/samples") { request, _ in
            let resource = String(request.uri.queryParameters.get("resource") ?? "")
            let limit = Int(request.uri.queryParameters.get("limit") ?? "5") ?? 5
            return JSONResponse(try await state.store.sampleSubjects(resource: resource, limit: min(limit, 100)))
        }
        return router
    }

    static func importRecords(_ request: Request, state: GatewayState) async throws -> ImportReport {
        guard let code = request.uri.queryParameters.get("resource"), let resource = await state.catalogue.resource(code) else {
            throw TongbanError(.notFound, "no resource \(request.uri.queryParameters.get("resource") ?? "(none)") in this province's directory")
        }
        guard let format = RecordImporter.Format(rawValue: request.uri.queryParameters.get("format") ?? "csv") else {
            throw TongbanError(.requestInvalid, "format must be csv or jsonl")
        }
        let body = try await request.body.collect(upTo: maximumImport)
        return try await RecordImporter(store: state.store).run(resource: resource, format: format, data: body)
    }
}