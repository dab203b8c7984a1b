import ServiceLifecycle

extension Task where Success == Never, Failure == Never {
    /// Waits `duration`, returning early (within 100 ms) once graceful shutdown begins or the task is
    /// cancelled, so periodic services never hold up a drain.
    static func pause(for duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }
}
