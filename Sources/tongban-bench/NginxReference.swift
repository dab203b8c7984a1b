import Foundation
import TongbanClient

/// nginx serving the same response body over TLS 1.3 with client certificates and gzip, pinned to the
/// server's core: the reference for what the TLS and HTTP part of an exchange costs without signatures.
struct NginxReference {
    let executable: String
    let directory: String
    let port: Int
    var pid: Int32 = 0

    static func find() -> String? {
        ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The configuration the bench writes: one worker, keep-alive without a request cap, no access log,
    /// `ssl_verify_client on` against the federation root, gzip at zlib level 1 from 1 KiB (as Tongban).
    static func configuration(directory: String, port: Int, certificate: String, key: String, root: String, runsAsRoot: Bool) -> String {
        """
        # Written by tongban-bench: the nginx reference (TLS 1.3, client certificates, gzip, keep-alive).
        \(runsAsRoot ? "user root;" : "")
        daemon off;
        master_process on;
        worker_processes 1;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path \(directory)/tmp/body;
            proxy_temp_path \(directory)/tmp/proxy;
            fastcgi_temp_path \(directory)/tmp/fastcgi;
            uwsgi_temp_path \(directory)/tmp/uwsgi;
            scgi_temp_path \(directory)/tmp/scgi;
            keepalive_requests 10000000;
            keepalive_timeout 300s;
            server {
                listen 127.0.0.1:\(port) ssl;
                ssl_protocols TLSv1.3;
                ssl_certificate \(certificate);
                ssl_certificate_key \(key);
                ssl_client_certificate \(root);
                ssl_verify_client on;
                gzip on;
                gzip_comp_level 1;
                gzip_min_length 1024;
                gzip_types application/json;
                location / {
                    root \(directory)/www;
                    default_type application/json;
                }
            }
        }

        """
    }

    /// Writes the configuration and the bodies (`www/NAME`), starts nginx under `launcher` and waits for its port.
    static func start(executable: String, directory: String, bodies: [String: Data], certificate: String, key: String, root: String,
                      launcher: [String]) async throws -> NginxReference {
        let fm = FileManager.default
        try? fm.removeItem(atPath: directory)
        for sub in ["www", "tmp"] { try fm.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true) }
        for (name, body) in bodies { try body.write(to: URL(fileURLWithPath: directory + "/www/" + name)) }
        let port = try DaemonProcess.freePort()
        let config = configuration(directory: directory, port: port, certificate: certificate, key: key, root: root, runsAsRoot: getuid() == 0)
        try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let command = launcher + [executable, "-p", directory, "-c", directory + "/nginx.conf"]
        let pid = try ReferenceProcess.spawn(command, log: directory + "/nginx.out")
        var reference = NginxReference(executable: executable, directory: directory, port: port, pid: pid)
        if try await ReferenceProcess.waitForListener(port: port, pid: pid) { return reference }
        await reference.stop()
        reference.pid = 0
        let log = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
        throw BenchError("nginx did not start (see \(directory)/error.log): \(log.suffix(400))")
    }

    /// The worker process (the master's only child), whose CPU and memory the bench reads.
    var workerPID: Int32? {
        guard let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return nil }
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }

    func stop() async {
        if pid > 0 { _ = await DaemonProcess.stop(pid) }
    }
}
