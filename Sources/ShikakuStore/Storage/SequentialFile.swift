import Glibc

/// A new file written from start to end through one page-aligned buffer, in whole pages at page offsets,
/// so that a file opened ``FileOpenMode/createNewUncached`` takes them straight from the buffer: a rebuild
/// writes its index runs this way, and on this machine a page written through the cache for the first time
/// costs more than the rest of writing it. The first `reserved` bytes (a header that depends on everything
/// after it) are written last; the file is then cut to its length.
struct SequentialFile: ~Copyable {
    /// The machine's page: what direct writes align to.
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    private static let capacity = 1 << 20

    private let files: FileSystem
    private let file: FileHandle
    private let reserved: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private var filled: Int
    /// Bytes written out from the start of the file: whole buffers.
    private var written: Int64 = 0
    /// The first page as it was written, to be written again with the header in its reserved bytes.
    private var firstPage: [UInt8] = []

    /// Starts writing `file` (new and empty), with its first `reserved` bytes left for ``finish(header:)``.
    init(files: FileSystem, file: FileHandle, reserving reserved: Int) {
        precondition(reserved <= SequentialFile.pageSize, "a header larger than a page")
        self.files = files
        self.file = file
        self.reserved = reserved
        buffer = .allocate(byteCount: max(SequentialFile.capacity, SequentialFile.pageSize), alignment: SequentialFile.pageSize)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        filled = reserved
    }

    deinit { buffer.deallocate() }

    /// Appends `bytes` after what was appended before.
    mutating func append(_ bytes: [UInt8]) throws(StoreError) {
        var from = 0
        while from < bytes.count {
            let count = min(bytes.count - from, buffer.count - filled)
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + count])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[from..<from + count]))
            }
            filled += count
            from += count
            if filled == buffer.count {
                if written == 0 { firstPage = Array(buffer[0..<SequentialFile.pageSize]) }
                try files.write(file, at: written, UnsafeRawBufferPointer(buffer))
                written += Int64(buffer.count)
                filled = 0
            }
        }
    }

    /// Writes what is buffered, then `header` (the size reserved) into the start of the file, and cuts
    /// the file to its length. Syncing it is the caller's.
    consuming func finish(header: [UInt8]) throws(StoreError) {
        precondition(header.count == reserved, "the header is not the size reserved for it")
        let length = written + Int64(filled)
        let page = SequentialFile.pageSize
        if written == 0 { patch(header) }
        // The last page is filled out with zeros, which the cut removes.
        let padded = (filled + page - 1) / page * page
        UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<padded]).initializeMemory(as: UInt8.self, repeating: 0)
        if padded > 0 { try files.write(file, at: written, UnsafeRawBufferPointer(rebasing: buffer[..<padded])) }
        if written > 0 {
            firstPage.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[..<page]).copyMemory(from: $0) }
            patch(header)
            try files.write(file, at: 0, UnsafeRawBufferPointer(rebasing: buffer[..<page]))
        }
        try files.truncate(file, to: length)
    }

    private func patch(_ header: [UInt8]) {
        header.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[..<reserved]).copyMemory(from: $0) }
    }
}
