import Foundation
import TongbanCore

/// Whether a listener's TCP address can be bound, tried before any service starts: a port in use is then one
/// clear line naming the listener and the address, and no service has started (and logged) anything yet. The
/// listener binds for real afterwards; a port taken in between still fails there, with the same message.
enum ListenAddressCheck {
    static func require(_ name: String, host: String, port: Int) throws(TongbanError) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw TongbanError(.configInvalid, "the \(name) listener's address \(host) does not resolve")
        }
        defer { freeaddrinfo(first) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 else { return }
        throw TongbanError(.configInvalid, "the \(name) listener cannot listen on \(host):\(port): " + reason(errno))
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EADDRINUSE: "the address is in use (another process listens there: ss -ltnp; or another tongband runs)"
        case EADDRNOTAVAIL: "no interface of this machine has that address"
        case EACCES: "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)"
        default: String(cString: strerror(code))
        }
    }
}
