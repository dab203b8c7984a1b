import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import SwiftASN1
import TongbanCore
import X509

/// Opens a mutual-TLS connection to a peer only to read the certificate it presents, so the gateway can
/// check which province really answers at a configured URL and when its certificate expires.
enum TLSProbe {
    static func certificate(host: String, port: Int, credentials: ClientCredentials, timeout: TimeAmount,
                            group: any EventLoopGroup) async throws -> Certificate {
        let context = try NIOSSLContext(configuration: credentials.clientTLSConfiguration)
        let isIP = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: isIP ? nil : host)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter())
                }
            }
        let deadline = NIODeadline.now() + timeout
        let channel = try await bootstrap.connect(host: host, port: port).get()
        defer { channel.close(promise: nil) }
        // A peer that accepts the connection and never answers the handshake must not hold the probe forever.
        let cutOff = channel.eventLoop.scheduleTask(deadline: deadline) { channel.close(promise: nil) }
        defer { cutOff.cancel() }
        let waiter = try await channel.pipeline.handler(type: HandshakeWaiter.self).get()
        do { try await waiter.completed.futureResult.get() } catch {
            if NIODeadline.now() >= deadline {
                throw TongbanError(.peerTimeout, "no TLS handshake from \(host):\(port) within \(timeout.nanoseconds / 1_000_000) ms")
            }
            throw error
        }
        guard let peer = try await channel.nioSSL_peerCertificate().get() else {
            throw TongbanError(.identityMissing, "peer presented no certificate")
        }
        return try Certificate(derEncoded: try peer.toDERBytes())
    }
}

/// Completes when the TLS handshake has finished, fails with the first error.
final class HandshakeWaiter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    var completed: EventLoopPromise<Void>!

    func handlerAdded(context: ChannelHandlerContext) {
        completed = context.eventLoop.makePromise()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        completed.fail(ChannelError.ioOnClosedChannel)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { completed.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        completed.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        completed.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
