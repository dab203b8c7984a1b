/// One answered request, as the load generator counts it.
struct Outcome: Sendable {
    var wireBytes: Int
    var rawBytes: Int
    var items: Int = 1
}
