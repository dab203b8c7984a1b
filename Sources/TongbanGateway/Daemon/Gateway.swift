import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
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

    /// Runs until SIGTERM or SIGINT. `configuration` must have passed `ConfigValidator`.
    public static func run(configuration c: GatewayConfiguration, logger: Logger,
                           environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        let credentials = try ClientCredentials(tls: c.tls)
        var roots: [Certificate] = []
        for path in c.tls.federationRoots { roots += try PEMFile.readCertificates(path) }
        let trust = FederationTrust(roots: roots)
        let signingCertificate = try PEMFile.readCertificate(c.signing.certificate)
        let tlsCertificate = try PEMFile.readCertificate(c.tls.certificate)
        let identity = IdentityDocument(
            province: c.province.rawValue, name: c.provinceName,
            signingCertificate: try signingCertificate.serializeAsPEM().pemString, version: TongbanVersion.current)
        let certificates = [
            StatusDocument.CertificateInfo(usage: "tls", subject: tlsCertificate.commonName, notAfter: tlsCertificate.notValidAfter,
                                           keyId: tlsCertificate.sha256Fingerprint),
            StatusDocument.CertificateInfo(usage: "signing", subject: signingCertificate.commonName,
                                           notAfter: signingCertificate.notValidAfter, keyId: signingCertificate.sha256Fingerprint),
        ]
        let store = try StateStore(directory: c.stateDirectory)
        let notifier = SystemdNotifier(environment: environment)
        let readiness = ListenerReadiness(expected: ["peer", "local", "admin"]) {
            notifier.notify("READY=1\nSTATUS=serving province \(c.province)")
            logger.notice("ready", metadata: ["tongban.province": .string(c.province.rawValue)])
        }
        let signer = MessageSigner(key: try MessageSigningKey(pem: try PEMFile.readText(c.signing.key)),
                                   keyID: signingCertificate.sha256Fingerprint, label: TongbanProfile.label)
        let peerClient = PeerClient(credentials: credentials, trust: trust, signer: signer, timeoutSeconds: c.peerTimeoutSeconds,
                                    signatureWindowSeconds: c.signatureWindowSeconds)
        let catalogue = try CatalogueRegistry.load(path: c.catalogueFile)
        let peerCatalogues = PeerCatalogueCache(client: peerClient, logger: logger)
        let state = try GatewayState(configuration: c, identity: identity, certificates: certificates, trust: trust,
                                 store: store, peerClient: peerClient, readiness: readiness, signer: signer,
                                 catalogue: catalogue, peerCatalogues: peerCatalogues)
        try AdminSocket.prepare(c.adminSocket)

        let verifier = PeerTLSVerifier(trust: trust, logger: logger)
        // A connection that sends nothing for idleTimeoutSeconds — including one that never finishes its TLS
        // handshake or its request head (slow-loris) — is closed.
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(c.idleTimeoutSeconds)))
        let peerServer: HTTPServerBuilder = try .tls(.http1(configuration: http1), configuration: TLSChannelConfiguration(
            tlsConfiguration: credentials.serverTLSConfiguration,
            customAsyncVerificationCallback: { try await verifier.verify($0) }))
        let peerApp = Application(
            router: PeerRoutes.router(state: state),
            server: peerServer,
            configuration: .init(address: .hostname(c.peerListener.address, port: c.peerListener.port), serverName: "tongban"),
            onServerRunning: { _ in
                logger.info("peer listener up", metadata: ["tongban.listener": "\(c.peerListener.address):\(c.peerListener.port)"])
                await readiness.markUp("peer")
            },
            logger: logger)
        let localApp = Application(
            router: LocalRoutes.router(state: state),
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(c.localListener.address, port: c.localListener.port), serverName: "tongban"),
            onServerRunning: { _ in
                logger.info("local listener up", metadata: ["tongban.listener": "\(c.localListener.address):\(c.localListener.port)"])
                await readiness.markUp("local")
            },
            logger: logger)
        let adminApp = Application(
            router: AdminRoutes.router(state: state),
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
        services.append(.init(service: ReloadService(registry: catalogue, notifier: notifier, logger: logger),
                              successTerminationBehavior: .ignore, serviceName: "reload"))
        services.append(.init(service: StoreCheckpointService(store: store, interval: .seconds(1), logger: logger),
                              successTerminationBehavior: .ignore, serviceName: "store-checkpoint"))
        if !c.peers.isEmpty {
            services.append(.init(service: CatalogueRefreshService(peers: c.peers, cache: peerCatalogues,
                                                                   interval: .seconds(c.peerCatalogueRefreshSeconds)),
                                  successTerminationBehavior: .ignore, serviceName: "catalogue-refresh"))
        }
        // The watchdog runs beside the group, not in it: it must stop feeding systemd as soon as shutdown begins.
        let watchdog = SystemdNotifier.watchdogInterval(environment: environment).map { interval in
            Task { await SystemdWatchdog(interval: interval, notifier: notifier, state: state, logger: logger).run() }
        }
        services.append(.init(service: ShutdownNotifierService(notifier: notifier, logger: logger, onShutdown: { watchdog?.cancel() }),
                              successTerminationBehavior: .ignore, serviceName: "shutdown-notifier"))
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = maximumShutdown
        let group = ServiceGroup(configuration: groupConfiguration)

        logger.info("starting", metadata: ["tongban.province": .string(c.province.rawValue), "tongban.version": .string(TongbanVersion.current)])
        do {
            try await group.run()
        } catch {
            try? await peerClient.shutdown()
            try? store.close()
            throw error
        }
        try? await peerClient.shutdown()
        try? store.close()
        unlink(c.adminSocket)
        logger.notice("stopped")
    }
}
