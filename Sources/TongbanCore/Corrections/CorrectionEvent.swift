import Foundation

/// What can happen to a submitted correction at the provider, the one place its state changes.
public enum CorrectionEvent: Sendable, Equatable {
    /// The provider's administrator says the record was corrected; `record` is that field of the record now
    /// (nil when the record is not in the store).
    case correct(reason: String, by: String, record: RecordFieldState?)
    /// The provider's administrator keeps the record as it is.
    case reject(reason: String, by: String)
    /// The requesting province took it back.
    case withdraw(reason: String?, by: String)
}
