import Foundation
import Prometheus
import Synchronization
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanStore

/// The gateway's metrics, in Prometheus text format at `GET /metrics` on the local listener (never on the
/// peer listener). Counters and histograms move with traffic; gauges about peers, the audit chain and
/// certificates are read when scraped. Meanings and alert suggestions: docs/operations.md. Labels carry
/// province codes, endpoints, statuses and problem codes only — never a subject or a record value.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Time to write one audit entry durably (group commit included).
    let auditWrite: DurationHistogram
    /// Answers the peer fast path served (`PeerFastPath`); every other peer answer took the general path.
    let fastPathAnswers: Counter
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])
    /// Every exchange moves the same four or five series; they are looked up together, once per label set.
    private let exchangeSeries = Mutex<[ExchangeLabels: ExchangeSeries]>([:])

    private struct ExchangeLabels: Hashable {
        let peer: String
        let endpoint: String
        let direction: Direction
        let status: Int
    }

    private struct ExchangeSeries: Sendable {
        let exchanges: Counter
        let duration: DurationHistogram
        let wireBytes: Counter
        let uncompressedBytes: Counter
        let records: Counter
    }

    static let latencyBuckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000].map { .milliseconds($0) }
    static let auditBuckets: [Duration] = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000].map { .microseconds(Int64($0 * 1000)) }

    enum Name {
        static var exchanges: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "exchanges", unitName: "total",
            helpText: "Exchanges by peer province, endpoint, direction (inbound: answered here; outbound: asked of a peer) and HTTP status.") }
        static var duration: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "exchange_duration", unitName: "seconds",
            helpText: "Time from request to signed answer, by endpoint and direction.") }
        static var refusals: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "refusals", unitName: "total",
            helpText: "Peer requests refused, by problem code (signature, policy, limits, audit).") }
        static var bytes: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "bytes", unitName: "total",
            helpText: "Answer bodies by peer and direction: as sent on the wire (form=wire) and before compression (form=uncompressed).") }
        static var provided: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "records_provided", unitName: "total",
            helpText: "Records this province provided to each peer (reciprocity).") }
        static var obtained: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "records_obtained", unitName: "total",
            helpText: "Records this province obtained from each peer (reciprocity).") }
        static var auditWrite: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "audit_write", unitName: "seconds",
            helpText: "Time to write one audit entry durably.") }
        static var checkpoint: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "store_checkpoint", unitName: "seconds",
            helpText: "Time of each WAL checkpoint, by database file (records, audit); a slow one means the disk is behind the WAL's writes.") }
        static var auditEntries: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "audit_chain", unitName: "entries",
            helpText: "Length of the audit hash chain.") }
        static var federationRefresh: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "federation_refresh", unitName: "total",
            helpText: "Refreshes of the federation manifest by outcome (applied, unchanged, refused, unreachable) and, when refused, reason.") }
        static var federationSerial: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "federation_manifest_serial", unitName: "",
            helpText: "Serial of the federation manifest in force.") }
        static var federationExpiry: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "federation_manifest_expiry", unitName: "seconds",
            helpText: "Seconds until the manifest in force expires (negative once past; exchanges stop after the grace).") }
        static var peerUp: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "peer_up", unitName: "",
            helpText: "1 when the last call to the peer was answered, 0 when it failed (absent before any call).") }
        static var circuit: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "peer_circuit_state", unitName: "",
            helpText: "The peer's circuit breaker: 0 closed, 1 half-open, 2 open.") }
        static var catalogueAge: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "peer_catalogue_age", unitName: "seconds",
            helpText: "Age of the cached copy of the peer's resource directory.") }
        static var expiry: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "certificate_expiry_timestamp", unitName: "seconds",
            helpText: "notAfter of own (owner=own) and peers' certificates, as a Unix time.") }
        static var reloads: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "reloads", unitName: "total",
            helpText: "Configuration reloads, applied or refused.") }
        static var inProgress: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "peer_requests_in_progress", unitName: "",
            helpText: "Peer-listener requests being handled now.") }
        static var overdue: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "applications_overdue", unitName: "",
            helpText: "Applications still submitted after their due date, by direction (incoming: this province must answer; outgoing: a peer must).") }
        static var correctionsOverdue: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "corrections_overdue", unitName: "",
            helpText: "Corrections still submitted after their due date, by direction (incoming: this province must resolve; outgoing: a peer must).") }
        static var outbox: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "peer_outbox_pending", unitName: "",
            helpText: "Signed workflow messages (application decisions, correction outcomes) not yet acknowledged by their peer.") }
        static var fastPath: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "peer_fast_path_answers", unitName: "total",
            helpText: "Peer queries answered on the fast path (on the event loop, no task); the rest of tongban_exchanges_total took the general path.") }
        static var uptime: MetricNameDescriptor { MetricNameDescriptor(namespace: "tongban", metricName: "start_time", unitName: "seconds",
            helpText: "When the daemon started, as a Unix time.") }
    }

    init() {
        auditWrite = registry.makeDurationHistogram(descriptor: Name.auditWrite, buckets: Self.auditBuckets)
        fastPathAnswers = registry.makeCounter(descriptor: Name.fastPath)
        _ = registry.makeCounter(descriptor: Name.reloads, labels: [("result", "applied")])
        _ = registry.makeCounter(descriptor: Name.reloads, labels: [("result", "refused")])
        for file in StoreFile.allCases { _ = histogram(Name.checkpoint, [("file", file.rawValue)]) }
    }

    /// The registry's metric for `name` and `labels`, remembered so the hot path skips the registry's name and
    /// label validation after the first time.
    private static func cached<Metric: Sendable>(_ cache: borrowing Mutex<[String: Metric]>, _ name: MetricNameDescriptor, _ labels: [(String, String)],
                                       make: () -> Metric) -> Metric {
        var key = name.name
        for (label, value) in labels { key += "|"; key += label; key += "="; key += value }
        if let metric = cache.withLock({ $0[key] }) { return metric }
        let metric = make()
        cache.withLock { $0[key] = metric }
        return metric
    }

    private func counter(_ name: MetricNameDescriptor, _ labels: [(String, String)]) -> Counter {
        Self.cached(counters, name, labels) { registry.makeCounter(descriptor: name, labels: labels) }
    }

    private func histogram(_ name: MetricNameDescriptor, _ labels: [(String, String)]) -> DurationHistogram {
        Self.cached(histograms, name, labels) { registry.makeDurationHistogram(descriptor: name, labels: labels, buckets: Self.latencyBuckets) }
    }

    enum Direction: String {
        case inbound, outbound
    }

    /// One exchange answered (inbound) or asked (outbound); `records` were provided (inbound) or obtained (outbound).
    func exchange(peer: String, endpoint: String, direction: Direction, status: Int, duration: Duration,
                  wireBytes: Int, uncompressedBytes: Int, records: Int) {
        let labels = ExchangeLabels(peer: peer.isEmpty ? "unknown" : peer, endpoint: endpoint, direction: direction, status: status)
        let series = exchangeSeries.withLock { $0[labels] } ?? makeSeries(labels)
        series.exchanges.increment()
        series.duration.record(duration)
        series.wireBytes.increment(by: Int64(wireBytes))
        series.uncompressedBytes.increment(by: Int64(uncompressedBytes))
        if records > 0 { series.records.increment(by: Int64(records)) }
    }

    private func makeSeries(_ labels: ExchangeLabels) -> ExchangeSeries {
        let (peer, direction) = (labels.peer, labels.direction.rawValue)
        let series = ExchangeSeries(
            exchanges: counter(Name.exchanges, [("peer", peer), ("endpoint", labels.endpoint), ("direction", direction), ("status", String(labels.status))]),
            duration: histogram(Name.duration, [("endpoint", labels.endpoint), ("direction", direction)]),
            wireBytes: counter(Name.bytes, [("peer", peer), ("direction", direction), ("form", "wire")]),
            uncompressedBytes: counter(Name.bytes, [("peer", peer), ("direction", direction), ("form", "uncompressed")]),
            records: counter(labels.direction == .inbound ? Name.provided : Name.obtained, [("peer", peer)]))
        exchangeSeries.withLock { $0[labels] = series }
        return series
    }

    /// The store's two database files, as the checkpoint metric labels them.
    enum StoreFile: String, CaseIterable {
        case records, audit
    }

    /// One WAL checkpoint of `file` took `duration`.
    func checkpoint(_ file: StoreFile, duration: Duration) {
        histogram(Name.checkpoint, [("file", file.rawValue)]).record(duration)
    }

    /// Counts a refusal under its code; a code outside the table (which this gateway never writes) is counted as
    /// `other`, so the number of series stays bounded whatever a peer sends.
    func refusal(code: String) {
        counter(Name.refusals, [("code", TongbanError.Code(rawValue: code)?.rawValue ?? "other")]).increment()
    }

    func federationRefresh(outcome: String, reason: String?) {
        counter(Name.federationRefresh, [("outcome", outcome)] + (reason.map { [("reason", $0)] } ?? [])).increment()
    }

    func reloads(applied: Bool) {
        counter(Name.reloads, [("result", applied ? "applied" : "refused")]).increment()
    }

    /// The exposition text, with the gauges read now.
    func render(state: GatewayState) async -> [UInt8] {
        let runtime = state.runtime
        registry.makeGauge(descriptor: Name.uptime).set(state.startedAt.timeIntervalSince1970)
        registry.makeGauge(descriptor: Name.inProgress).set(Double(state.limits.requestsInProgress))
        if let length = try? await state.store.auditChainLength() {
            registry.makeGauge(descriptor: Name.auditEntries).set(Double(length))
        }
        for (direction, count) in await state.overdueApplications() {
            registry.makeGauge(descriptor: Name.overdue, labels: [("direction", direction.rawValue)]).set(Double(count))
        }
        for (direction, count) in await state.overdueCorrections() {
            registry.makeGauge(descriptor: Name.correctionsOverdue, labels: [("direction", direction.rawValue)]).set(Double(count))
        }
        if let pending = try? await state.store.pendingOutboxCount() { registry.makeGauge(descriptor: Name.outbox).set(Double(pending)) }
        let federation = state.federation.current
        registry.makeGauge(descriptor: Name.federationSerial).set(Double(federation.manifest.serial))
        registry.makeGauge(descriptor: Name.federationExpiry).set(federation.manifest.expiresAt.timeIntervalSinceNow)
        let ages = await state.peerCatalogues.ages()
        for peer in state.memberEndpoints().map(\.endpoint) {
            let labels = [("peer", peer.code.rawValue)]
            // Both reciprocity series exist from the start, at 0, so that "obtained from a peer that was never
            // provided anything" can be expressed in PromQL (an absent series compares to nothing).
            _ = counter(Name.provided, labels)
            _ = counter(Name.obtained, labels)
            let circuit = runtime.peerClient.circuits.snapshot(peer.code)
            registry.makeGauge(descriptor: Name.circuit, labels: labels).set(circuit.state.metricValue)
            if let answered = circuit.lastAnswered { registry.makeGauge(descriptor: Name.peerUp, labels: labels).set(answered ? 1.0 : 0.0) }
            if let age = ages[peer.code] { registry.makeGauge(descriptor: Name.catalogueAge, labels: labels).set(age) }
        }
        for certificate in runtime.certificates {
            registry.makeGauge(descriptor: Name.expiry, labels: [("owner", "own"), ("usage", certificate.usage)])
                .set(certificate.notAfter.timeIntervalSince1970)
        }
        for certificate in await state.knownPeerCertificates() {
            registry.makeGauge(descriptor: Name.expiry, labels: [("owner", certificate.province), ("usage", certificate.usage)])
                .set(certificate.notAfter.timeIntervalSince1970)
        }
        return registry.emitToBuffer()
    }
}
