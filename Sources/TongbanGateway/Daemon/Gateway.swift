import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Crypto
import ServiceLifecycle
import Synchronization
import SwiftASN1
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanPKI
import TongbanSigning
import TongbanStore
import UnixSignals
import X509

/// One province's gateway: the peer listener (mutual TLS), the local listener, the admin socket and the
/// background services, run as one `ServiceGroup` that drains on SIGTERM/SIGINT.
public enum Gateway {
    /// Longest a graceful shutdown may take before remaining work is cancelled (systemd waits 10 s).
    static let maximumShutdown: Duration = .seconds(8)

    /// Runs until SIGTERM or SIGINT. `configuration` must have passed `ConfigValidator`; `configPath` is
    /// where it came from, re-read by a reload (SIGHUP, `tongbanctl reload`).
    public static func run(configuration c: GatewayConfiguration, configPath: String? = nil, logger: Logger,
                           environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        HeapPolicy.fixMapThreshold()
        // Everything the daemon creates — the stores, their WAL files, the audit secret, the admin socket at its
        // bind — is for its own user only, whatever umask it was started with; the socket is then opened to
        // the group (0660) on purpose, by `AdminSocket.restrict`.
        AdminSocket.restrictUmask()
        var roots: [Certificate] = []
        do { for path in c.tls.federationRoots { roots += try PEMFile.readCertificates(path) } } catch {
            throw TongbanError(.pkiInvalid, "cannot read the federation roots: \(error)")
        }
        let federation = try await FederationStartup.load(c, trust: FederationTrust(roots: roots), logger: logger)
        let runtime = try GatewayRuntime(configuration: c, federation: federation, circuits: nil, logger: logger)
        do {
            try await serve(runtime: runtime, federation: federation, configPath: configPath, logger: logger, environment: environment)
        } catch {
            // Whatever stopped the start or the run, the peer client is shut down before it goes (it must be).
            try? await runtime.peerClient.shutdown()
            throw error
        }
    }

    static func serve(runtime: GatewayRuntime, federation: FederationState, configPath: String?, logger: Logger,
                      environment: [String: String]) async throws {
        let c = runtime.configuration
        try ListenAddressCheck.require("peer", host: c.peerListener.address, port: c.peerListener.port)
        try ListenAddressCheck.require("local", host: c.localListener.address, port: c.localListener.port)
        let store = try await StoreOpening.open(c, logger: logger)
        let notifier = SystemdNotifier(environment: environment)
        let readiness = ListenerReadiness(expected: ["peer", "local", "admin"]) {
            notifier.notify("READY=1\nSTATUS=serving province \(c.province)")
            logger.notice("ready", metadata: ["tongban.province": .string(c.province.rawValue)])
        }
        let catalogue = try CatalogueRegistry.load(path: c.catalogueFile)
        let auditSecret: SymmetricKey
        do { auditSecret = try await store.auditSecret() } catch {
            await store.close()
            throw error
        }
        let state = try GatewayState(runtime: runtime, federation: federation, store: store, auditSecret: auditSecret, readiness: readiness, catalogue: catalogue, metrics: GatewayMetrics(),
                                     logger: logger, notifier: notifier, configPath: configPath, environment: environment)
        // Request ids answered within the window before a restart are refused as replays after it too.
        let remembered = try await state.rememberRecentRequests()
        if remembered > 0 { logger.info("replay window restored from the audit log", metadata: ["tongban.requests": "\(remembered)"]) }
        try AdminSocket.prepare(c.adminSocket)

        let verifier = PeerTLSVerifier(state: state, logger: logger)
        // A connection that sends nothing for idleTimeoutSeconds — including one that never finishes its TLS
        // handshake or its request head (slow-loris) — is closed. The parser's own header cap is twice the
        // configured one, so that HeaderLimitMiddleware answers most oversized heads with a 431 and a code.
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: 2 * c.maxHeaderBytes, maxHeaderListSize: 2 * c.maxHeaderBytes)
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(c.idleTimeoutSeconds)), httpDecoderConfiguration: decoder)
        // Each handshake presents the certificate and key of the runtime in force, so a reload changes them for
        // new connections while open ones carry on.
        var serverTLS = runtime.credentials.serverTLSConfiguration
        serverTLS.sslContextCallback = { _, promise in
            let credentials = state.runtime.credentials
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = credentials.certificateChain.map { .certificate($0) }
            override.privateKey = .privateKey(credentials.privateKey)
            promise.succeed(override)
        }
        // The peer listener alone gets the fast path (PeerFastPath), one per connection, sharing the connection identities
        // the general path reads.
        let connections = ConnectionProvinces()
        let peerHTTP1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [PeerFastPathInstaller(PeerFastPath(state: state, connections: connections, serverName: "tongban"))],
            idleTimeout: .seconds(Int64(c.idleTimeoutSeconds)), httpDecoderConfiguration: decoder)
        let peerServer: HTTPServerBuilder = try .tls(.http1(configuration: peerHTTP1), configuration: TLSChannelConfiguration(
            tlsConfiguration: serverTLS, customAsyncVerificationCallback: { try await verifier.verify($0) }))
        let peerApp = Listener(
            "peer", at: "\(c.peerListener.address):\(c.peerListener.port)", router: PeerRoutes.router(state: state, connections: connections),
            server: peerServer,
            configuration: .init(address: .hostname(c.peerListener.address, port: c.peerListener.port), serverName: "tongban"),
            onServerRunning: { _ in
                logger.info("peer listener up", metadata: ["tongban.listener": "\(c.peerListener.address):\(c.peerListener.port)"])
                await readiness.markUp("peer")
            },
            logger: logger)
        let localApp = Listener(
            "local", at: "\(c.localListener.address):\(c.localListener.port)", router: LocalRoutes.router(state: state),
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(c.localListener.address, port: c.localListener.port), serverName: "tongban"),
            onServerRunning: { _ in
                logger.info("local listener up", metadata: ["tongban.listener": "\(c.localListener.address):\(c.localListener.port)"])
                await readiness.markUp("local")
            },
            logger: logger)
        let adminApp = Listener(
            "admin", at: c.adminSocket, router: AdminRoutes.router(state: state),
            configuration: .init(address: .unixDomainSocket(path: c.adminSocket), serverName: "tongban"),
            onServerRunning: { _ in
                AdminSocket.restrict(c.adminSocket)
                logger.info("admin socket up", metadata: ["tongban.listener": .string(c.adminSocket)])
                await readiness.markUp("admin")
            },
            logger: logger)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: peerApp, serviceName: "peer-listener"),
            .init(service: localApp, serviceName: "local-listener"),
            .init(service: adminApp, serviceName: "admin-socket"),
        ]
        services.append(.init(service: ReloadService(state: state), successTerminationBehavior: .ignore, serviceName: "reload"))
        services.append(.init(service: CertificateWatchService(state: state, interval: .seconds(3600), logger: logger),
                              successTerminationBehavior: .ignore, serviceName: "certificate-watch"))
        services.append(.init(service: StoreCheckpointService(store: store, interval: .seconds(1), metrics: state.metrics, logger: logger),
                              successTerminationBehavior: .ignore, serviceName: "store-checkpoint"))
        services.append(.init(service: CatalogueRefreshService(state: state), successTerminationBehavior: .ignore,
                              serviceName: "catalogue-refresh"))
        services.append(.init(service: FederationRefreshService(state: state), successTerminationBehavior: .ignore,
                              serviceName: "federation-refresh"))
        services.append(.init(service: WorkflowSyncService(state: state), successTerminationBehavior: .ignore,
                              serviceName: "workflow-sync"))
        // The watchdog runs beside the group, not in it: it must stop feeding systemd as soon as shutdown begins.
        let watchdog = SystemdNotifier.watchdogInterval(environment: environment).map { interval in
            Task { await SystemdWatchdog(interval: interval, notifier: notifier, state: state, logger: logger).run() }
        }
        services.append(.init(service: ShutdownNotifierService(notifier: notifier, logger: logger, onShutdown: {
            state.draining.store(true, ordering: .relaxed)
            watchdog?.cancel()
        }),
                              successTerminationBehavior: .ignore, serviceName: "shutdown-notifier"))
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = maximumShutdown
        let group = ServiceGroup(configuration: groupConfiguration)

        logger.info("starting", metadata: ["tongban.province": .string(c.province.rawValue), "tongban.version": .string(TongbanVersion.current)])
        do {
            try await group.run()
        } catch {
            try? await state.peerClient.shutdown()
            await store.close()
            throw error
        }
        try? await state.peerClient.shutdown()
        await store.close()
        unlink(c.adminSocket)
        logger.notice("stopped")
    }
}
