import Histogram

/// The bench records latencies in microseconds and reports them in milliseconds.
extension Histogram {
    /// The latency at `percentile`, in milliseconds; 0 when nothing was recorded.
    func milliseconds(atPercentile percentile: Double) -> Double {
        totalCount == 0 ? 0 : Double(valueAtPercentile(percentile)) / 1000
    }

    /// The longest latency recorded, in milliseconds.
    var maxMilliseconds: Double { Double(max) / 1000 }
}
