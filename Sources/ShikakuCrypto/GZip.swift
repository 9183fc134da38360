internal import CZlib

/// GZIP (RFC 1952) through zlib, as Bitstring Status Lists carry their bits (W3C BSL §3.2).
///
/// Output is reproducible: zlib's gzip wrapper writes mtime 0 and no file name.
public enum GZip {
    /// GZIP of `bytes` at zlib's best compression.
    /// - Throws: `crypto.malformed-gzip` if zlib fails (out of memory).
    public static func compress(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper.
        guard czlib_deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw CryptoError(.malformedGzip, "zlib could not start compressing")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw CryptoError(.malformedGzip, "zlib could not compress (status \(status))") }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// The data in GZIP `bytes`, refusing to produce more than `maxOutputBytes` (decompression bombs).
    /// - Throws: `crypto.decompression-limit` past the cap; `crypto.malformed-gzip` for damaged or truncated
    ///   input or bytes after the GZIP member.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int) throws(CryptoError) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflateInit2(&stream, 15 + 16) == Z_OK else {
            throw CryptoError(.malformedGzip, "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        try bytes.withUnsafeBufferPointer { (input) throws(CryptoError) in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw CryptoError(.malformedGzip, "the data is not valid GZIP (zlib status \(status))")
                }
                guard output.count + produced <= maxOutputBytes else {
                    throw CryptoError(.decompressionLimit, "the data inflates to more than \(maxOutputBytes) bytes")
                }
                output.append(contentsOf: chunk[..<produced])
                if status == Z_OK && produced == 0 && stream.avail_in == 0 { break }
            } while status != Z_STREAM_END
        }
        guard status == Z_STREAM_END else { throw CryptoError(.malformedGzip, "the GZIP data is truncated") }
        guard stream.avail_in == 0 else { throw CryptoError(.malformedGzip, "there are bytes after the end of the GZIP data") }
        return output
    }
}

/// zlib's `crc32_z`.
func czlibCRC32(_ initial: UInt, _ bytes: UnsafeRawBufferPointer) -> UInt {
    crc32_z(initial, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
}
