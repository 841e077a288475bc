import Glibc
import Synchronization

/// The shared memory that holds one process's counters: a header with the application's
/// description, then one row of `MetricsLayout` words per event loop.
///
/// The master makes one region per worker (a POSIX shared-memory object, unlinked at once, so that
/// only the descriptor names it) and passes its descriptor to the worker, which maps it too. The
/// worker counts in it without a lock and without an atomic instruction: each row has one writer,
/// the thread of its event loop, and each word is an aligned 64-bit word, which the master reads
/// whole. The master may read a count one increment old, never a torn one. Because the memory is
/// the master's as much as the worker's, the counts of a worker that exits, or is killed, stay
/// readable until the master has added them to its totals.
///
/// This file and `MetricsRow` are the only ones that touch the memory through pointers.
final class MetricsRegion: @unchecked Sendable {
    /// The descriptor of the shared-memory object, passed to the worker; -1 for memory of this
    /// process alone.
    let descriptor: CInt
    let rows: Int
    private let base: UnsafeMutableRawPointer
    private let size: Int

    private init(descriptor: CInt, rows: Int, base: UnsafeMutableRawPointer, size: Int) {
        self.descriptor = descriptor
        self.rows = rows
        self.base = base
        self.size = size
    }

    deinit {
        munmap(self.base, self.size)
        if self.descriptor >= 0 { close(self.descriptor) }
    }

    private static func size(rows: Int) -> Int {
        MetricsLayout.headerBytes + rows * MetricsLayout.rowStride * MemoryLayout<UInt64>.stride
    }

    /// A region to share with a worker that runs `rows` event loops; its descriptor is close-on-exec.
    static func shared(rows: Int) throws(MetricsError) -> MetricsRegion {
        let name = "/swiftserve-metrics-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw MetricsError(call: "shm_open", code: errno) }
        shm_unlink(name)
        let size = Self.size(rows: rows)
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            let code = errno
            close(descriptor)
            throw MetricsError(call: "ftruncate", code: code)
        }
        return try Self.map(descriptor: descriptor, rows: rows, size: size)
    }

    /// The region a master passed to this worker as `descriptor`.
    static func inherited(descriptor: CInt, rows: Int) throws(MetricsError) -> MetricsRegion {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw MetricsError(call: "fstat", code: errno) }
        let size = Self.size(rows: rows)
        guard Int(status.st_size) == size else { throw MetricsError(call: "fstat", code: EINVAL) }
        _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
        return try Self.map(descriptor: descriptor, rows: rows, size: size)
    }

    /// A region for a server without workers.
    static func local(rows: Int) throws(MetricsError) -> MetricsRegion {
        let size = Self.size(rows: rows)
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            base != MAP_FAILED
        else { throw MetricsError(call: "mmap", code: errno) }
        return MetricsRegion(descriptor: -1, rows: rows, base: base, size: size)
    }

    private static func map(descriptor: CInt, rows: Int, size: Int) throws(MetricsError) -> MetricsRegion {
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), base != MAP_FAILED else {
            let code = errno
            close(descriptor)
            throw MetricsError(call: "mmap", code: code)
        }
        return MetricsRegion(descriptor: descriptor, rows: rows, base: base, size: size)
    }

    /// The counters of event loop `index`, for that loop's thread alone to write.
    func row(_ index: Int) -> MetricsRow {
        let words = (self.base + MetricsLayout.headerBytes).assumingMemoryBound(to: UInt64.self)
        return MetricsRow(words: words + (index % self.rows) * MetricsLayout.rowStride)
    }

    /// Every row summed.
    func snapshot() -> MetricsSnapshot {
        var snapshot = MetricsSnapshot()
        for index in 0..<self.rows {
            self.row(index).add(to: &snapshot)
        }
        return snapshot
    }

    // MARK: The application's description

    /// Writes the description of the loaded application, once, before the worker says it is ready.
    func publish(_ application: ApplicationInfo) {
        let text = Array(application.encoded.utf8.prefix(MetricsLayout.headerBytes - 8))
        let header = self.base.assumingMemoryBound(to: UInt64.self)
        text.withUnsafeBytes { (self.base + 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        atomicMemoryFence(ordering: .releasing)
        header.pointee = UInt64(text.count)
    }

    /// The description the worker published, if it did.
    var application: ApplicationInfo? {
        let count = Int(self.base.assumingMemoryBound(to: UInt64.self).pointee)
        atomicMemoryFence(ordering: .acquiring)
        guard count > 0, count <= MetricsLayout.headerBytes - 8 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: self.base + 8, count: count)
        return ApplicationInfo(decoding: String(decoding: bytes, as: UTF8.self))
    }
}

/// Shared memory for the metrics could not be made or mapped.
struct MetricsError: Error, CustomStringConvertible {
    var call: String
    var code: CInt

    var description: String { "cannot share the metrics: \(self.call) failed: \(String(cString: strerror(self.code)))" }
}
