/// One sample of a soak, every `--soak-interval` seconds: what the generator counted in the interval, and the
/// daemons' memory and descriptors at its end.
struct SoakSample: Codable, Sendable {
    /// A daemon's resident memory and descriptors.
    struct Resources: Codable, Sendable {
        var rssMib: Double
        /// The daemon's own memory (heap, stacks), without mapped files.
        var anonymousRssMib: Double
        var descriptors: Int
        /// Of `descriptors`, live TCP connections; the rest is `otherDescriptors`.
        var connections: Int
        var otherDescriptors: Int

        /// Nil when the process has gone (a zombie included).
        static func read(pid: Int32) -> Resources? {
            guard ProcessSample.isAlive(pid: pid), let memory = ProcessSample.read(pid: pid), let fds = DescriptorCount.read(pid: pid) else {
                return nil
            }
            return Resources(rssMib: memory.rssMiB, anonymousRssMib: memory.anonymousRSSMiB, descriptors: fds.total,
                             connections: fds.connections, otherDescriptors: fds.others)
        }
    }

    /// Seconds since the soak's load started.
    var seconds: Double
    var requests: Int
    var errors: Int
    /// Answers per second in the interval.
    var rps: Double
    var p99Ms: Double
    /// The answering daemon (北京 11); nil when it could not be read (it had exited).
    var server: Resources?
    /// The asking province's daemon (上海 31), which serves only its identity: a gateway idling beside the load.
    var client: Resources?
    /// The load generator (this process).
    var generatorRssMib: Double?
    /// The answering daemon's CPU time (user + system) since it started, and the CPU it spent per answer in this
    /// interval: whether the cost of an exchange drifts over a long run (the audit grows by every answer).
    var serverCpuSeconds: Double?
    var serverCpuUsPerRequest: Double?
}
