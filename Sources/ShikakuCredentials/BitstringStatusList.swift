import ShikakuCrypto

/// A W3C Bitstring Status List (v1.0 §2–3): one bit per credential, GZIP-compressed and base64url-encoded.
///
/// Index 0 is the left-most bit, the most significant bit of byte 0:
/// `bit(i) = (bytes[i >> 3] >> (7 - (i & 7))) & 1`. The encoded form is
/// `"u" + base64url(GZIP(bytes))` without padding (multibase `u`). Lists have at least
/// 131,072 entries (16 KiB), so that one index reveals little about whose it is.
public struct BitstringStatusList: Hashable, Sendable {
    /// The fewest entries a list may have (§6.1 herd privacy).
    public static let minimumEntries = 131_072
    /// The largest decoded list a verifier accepts: 16 MiB, a guard against decompression bombs.
    public static let maximumBytes = 16 << 20

    /// The bits, most significant first in each byte.
    public private(set) var bytes: [UInt8]

    /// An empty list of `entries` bits (a multiple of 8, at least ``minimumEntries``).
    public init(entries: Int = minimumEntries) {
        precondition(entries % 8 == 0 && entries >= BitstringStatusList.minimumEntries, "status lists have whole bytes and at least 131,072 entries")
        bytes = [UInt8](repeating: 0, count: entries / 8)
    }

    /// The number of entries.
    public var count: Int { bytes.count * 8 }

    /// The bit at `index`.
    public subscript(index: Int) -> Bool {
        get { bytes[index >> 3] & (0x80 >> UInt8(index & 7)) != 0 }
        set {
            if newValue { bytes[index >> 3] |= 0x80 >> UInt8(index & 7) } else { bytes[index >> 3] &= ~(0x80 >> UInt8(index & 7)) }
        }
    }

    /// The status of entry `index` as a verifier reads it (§3.2 validate steps 6–7, statusSize 1), where
    /// the subscript would trap: the index comes from a credential, not from the list.
    /// - Throws: A ``FailureReason`` with code RANGE_ERROR when `index` is negative or past the list's end.
    public func status(at index: Int) throws(FailureReason) -> Bool {
        guard index >= 0, index < count else { throw FailureReason(.range, "index \(index) is outside the list of \(count)") }
        return self[index]
    }

    /// The `encodedList` value.
    /// - Throws: `credential.status-list` if zlib fails.
    public func encoded() throws(CredentialError) -> String {
        do {
            return "u" + Base64URL.encode(try GZip.compress(bytes))
        } catch {
            throw CredentialError(.statusList, "the status list could not be compressed: \(error)")
        }
    }

    /// Decodes an `encodedList` (§3.2 validate steps 4–5).
    /// - Throws: The ``FailureReason`` that makes it unusable: malformed, or too short, or too large inflated.
    /// - Parameter minimumEntries: The fewest entries to accept; the spec's 131,072 unless inspecting older lists.
    public static func decode(_ encoded: String, minimumEntries: Int = minimumEntries) throws(FailureReason) -> BitstringStatusList {
        guard encoded.hasPrefix("u"), let compressed = try? Base64URL.decode(String(encoded.dropFirst())) else {
            throw FailureReason(.malformed, "encodedList is not multibase base64url (u…)")
        }
        let bytes: [UInt8]
        do {
            bytes = try GZip.decompress(compressed, maxOutputBytes: maximumBytes)
        } catch let error where error.code == .decompressionLimit {
            throw FailureReason(.statusListLength, "the status list inflates to more than \(maximumBytes) bytes")
        } catch {
            throw FailureReason(.malformed, "encodedList is not GZIP data")
        }
        guard bytes.count * 8 >= minimumEntries, !bytes.isEmpty else {
            throw FailureReason(.statusListLength, "the status list has \(bytes.count * 8) entries; at least \(minimumEntries) are required")
        }
        return BitstringStatusList(unchecked: bytes)
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// A list holding `bytes` as its bits (at least ``minimumEntries`` of them).
    public init(bytes: [UInt8]) {
        precondition(bytes.count * 8 >= BitstringStatusList.minimumEntries, "status lists have at least 131,072 entries")
        self.bytes = bytes
    }
}
