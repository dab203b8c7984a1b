/// A value read from the store and kept until the store changes it, with a generation that every change
/// bumps, so a read that raced a change is never kept.
struct StoreCache<Value: Sendable>: Sendable {
    var generation = 0
    var value: Value?

    mutating func invalidate() {
        generation += 1
        value = nil
    }

    /// Keeps `value` only when nothing changed since `generation` was taken.
    mutating func keep(_ value: Value, readAt generation: Int) {
        if self.generation == generation { self.value = value }
    }
}
