/// Counts the listeners that are bound; once all are, runs the readiness action (systemd `READY=1`) once.
actor ListenerReadiness {
    let expected: Set<String>
    private(set) var upListeners: Set<String> = []
    private var onReady: (@Sendable () -> Void)?

    init(expected: Set<String>, onReady: @escaping @Sendable () -> Void) {
        self.expected = expected
        self.onReady = onReady
    }

    var isReady: Bool { upListeners.isSuperset(of: expected) }

    func markUp(_ name: String) {
        upListeners.insert(name)
        if isReady, let action = onReady {
            onReady = nil
            action()
        }
    }
}
