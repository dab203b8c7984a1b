import Foundation

/// A citizen identity number (公民身份号码, GB 11643-1999): 6-digit address code, 8-digit birth date,
/// 3-digit sequence (odd = male) and a check character.
///
/// Construction validates everything the standard allows to be checked: format, check character, a real
/// birth date not in the future and not before 1850, and an address code that GB/T 2260 issued at some time.
/// `description` masks the number so it can never leak into a log line by interpolation.
public struct CitizenID: Hashable, Sendable, CustomStringConvertible {
    /// Why a number was refused; stable, so import reports and tests can match on it.
    public enum Failure: String, Sendable, CaseIterable {
        case format
        case checkCharacter = "check-character"
        case birthDate = "birth-date"
        case addressCode = "address-code"
    }

    /// The 18 characters, with an upper-case `X`.
    public let value: String

    public init(_ text: String, today: Date = Date(), divisions: AdministrativeDivisions = .shared) throws(TongbanError) {
        try self.init(text, todayNumber: Self.dateNumber(today), divisions: divisions)
    }

    /// `todayNumber` is today in China as YYYYMMDD (`dateNumber(_:)`), computed once by bulk validators.
    public init(_ text: String, todayNumber: Int, divisions: AdministrativeDivisions = .shared) throws(TongbanError) {
        // A number in its 18-character form, as callers send it, is checked on its bytes and kept as it came (a batch
        // validates 1,000); anything else is normalised first, then checked the same way.
        var candidate = text
        var check = Self.checkCanonical(candidate, todayNumber: todayNumber, divisions: divisions)
        if check == .notCanonical {
            candidate = Self.normalized(text)
            check = Self.checkCanonical(candidate, todayNumber: todayNumber, divisions: divisions)
        }
        switch check {
        case .passed: self.value = candidate
        case .failed(let reason): throw Self.failure(reason)
        case .notCanonical: throw Self.failure(.format)
        }
    }

    /// `text` as typed, in the 18-character form where it can be: surrounding whitespace dropped, `x` upper-cased, and
    /// a legacy 15-digit number given its century and check character.
    static func normalized(_ text: String) -> String {
        var chars = Array(text.trimmingWhitespace.uppercased().utf8)
        if chars.count == 15, chars.allSatisfy(isDigit) {
            chars.insert(contentsOf: Array("19".utf8), at: 6)
            chars.append(checkCharacter(for: chars))
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// The six-digit address code of the place of first registration.
    public var addressCode: String { String(value.prefix(6)) }
    public var provinceCode: String { String(value.prefix(2)) }
    public var birthDate: String { String(value.dropFirst(6).prefix(8)) }
    public var isMale: Bool { (Int(String(value.dropFirst(16).prefix(1))) ?? 0) % 2 == 1 }

    /// The number masked as `110105********002X`: address code and last four characters kept.
    public var masked: String { String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4)) }

    public var description: String { masked }

    /// The check character for the first 17 digits of `chars` (ASCII).
    public static func checkCharacter(for chars: [UInt8]) -> UInt8 {
        chars.withUnsafeBufferPointer { checkCharacter(of: $0) }
    }

    static func checkCharacter(of chars: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var sum = 0
        for i in 0..<17 { sum += Int(chars[i] &- 48) &* weights[i] }
        return checkCharacters[sum % 11]
    }

    /// Builds a valid number from address code, birth date (YYYYMMDD) and a three-digit sequence.
    public static func make(addressCode: String, birthDate: String, sequence: Int) -> String {
        let body = addressCode + birthDate + String(format: "%03d", sequence % 1000)
        return body + String(UnicodeScalar(checkCharacter(for: Array(body.utf8))))
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    public static func isRealBirthDate(_ digits: [UInt8], today: Date) -> Bool {
        isRealDate(digits, notAfter: dateNumber(today))
    }

    /// True for eight ASCII digits YYYYMMDD naming a real Gregorian date from 1850 up to `latest` (YYYYMMDD).
    public static func isRealDate(_ digits: [UInt8], notAfter latest: Int) -> Bool {
        guard digits.count == 8, digits.allSatisfy(isDigit) else { return false }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1] - 48) } }
        return isRealDate(year: number(0..<4), month: number(4..<6), day: number(6..<8), notAfter: latest)
    }

    static func isRealDate(year: Int, month: Int, day: Int, notAfter latest: Int) -> Bool {
        guard year >= 1850, (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return false }
        return year * 10_000 + month * 100 + day <= latest
    }

    /// The date in China (UTC+8, no daylight saving) as YYYYMMDD.
    /// Computed with `gmtime_r` on the time shifted by eight hours: every query computes it, and a Foundation
    /// `Calendar` cost tens of microseconds each time.
    public static func dateNumber(_ date: Date) -> Int {
        var seconds = time_t((date.timeIntervalSince1970 + 8 * 3600).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (Int(parts.tm_year) + 1900) * 10_000 + (Int(parts.tm_mon) + 1) * 100 + Int(parts.tm_mday)
    }

    static func failure(_ reason: Failure) -> TongbanError {
        let message = switch reason {
        case .format: "must be 18 characters: 17 digits and a digit or X"
        case .checkCharacter: "check character does not match the first 17 digits"
        case .birthDate: "birth date is not a real date between 1850 and today"
        case .addressCode: "address code was never issued in GB/T 2260"
        }
        return TongbanError(.citizenIDInvalid, "citizen ID number invalid (\(reason.rawValue)): \(message)", detail: reason.rawValue)
    }

    /// The outcome of checking a number on its bytes (`checkCanonical`).
    enum CanonicalCheck: Equatable {
        /// Not 18 ASCII digits ending in a digit or an upper-case `X`: the general checks take it.
        case notCanonical
        case passed
        case failed(Failure)
    }

    /// The checks of `init` for a number in its canonical form, on its UTF-8 bytes in place.
    static func checkCanonical(_ text: String, todayNumber: Int, divisions: AdministrativeDivisions) -> CanonicalCheck {
        guard text.utf8.count == 18 else { return .notCanonical }
        let checked: CanonicalCheck? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for index in 0..<17 where !isDigit(bytes[index]) { return .notCanonical }
            guard isDigit(bytes[17]) || bytes[17] == UInt8(ascii: "X") else { return .notCanonical }
            guard checkCharacter(of: bytes) == bytes[17] else { return .failed(.checkCharacter) }
            func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 &* 10 &+ Int(bytes[$1] &- 48) } }
            guard isRealDate(year: number(6..<10), month: number(10..<12), day: number(12..<14), notAfter: todayNumber) else {
                return .failed(.birthDate)
            }
            return .passed
        }
        guard let checked else { return .notCanonical }
        if checked == .passed, !divisions.contains(String(text.utf8.prefix(6))!) { return .failed(.addressCode) }
        return checked
    }

    static let checkCharacters = Array("10X98765432".utf8)
}

extension TongbanError {
    /// For a citizen ID failure, which check failed.
    public var citizenIDFailure: CitizenID.Failure? {
        guard code == .citizenIDInvalid else { return nil }
        return detail.flatMap(CitizenID.Failure.init(rawValue:))
    }
}
