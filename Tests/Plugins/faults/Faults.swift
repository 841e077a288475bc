import SSGI

#if canImport(Glibc)
    import Glibc
#endif

/// An application that misbehaves on purpose, so that the tests can check the server survives it.
///
/// Routes: `/ok`; `/throw` (throws before starting the response); `/throw-after-start` (writes two
/// chunks, then throws); `/short` (declares 10 bytes, sends 5); `/bad-status`; `/hop-by-hop`;
/// `/length-on-204` (a Content-Length on a 204, which start_response refuses);
/// `/no-start` (returns a body without calling start_response); `/stream?n=N` (N chunks, chunked);
/// `/bytes?n=N` (N bytes in 64 KiB chunks with back-pressure, for slow readers);
/// `/no-content-type` and `/no-content-with-body` (legal for the server, caught by `--validate`);
/// `/empty-then-body` (an empty write, then a one-chunk body); `/cleanup[?short]` (logs what its
/// cleanup was told); `/pid` (the process id of the worker that answers); `/slow?ms=N` (logs that it
/// sleeps, and answers after N milliseconds); `/threads` (the threads its task ran on, before and
/// after reading the body and after a yield); `/trap` (an index out of range: the process dies).
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exportApplication(name: "faults") { environ, startResponse in
        struct Failure: Error, CustomStringConvertible {
            var description: String { "deliberate failure with secret detail 0xC0FFEE" }
        }
        switch environ.pathInfo {
        case "/throw":
            throw Failure()
        case "/throw-after-start":
            let write = startResponse("200 OK", [("Content-Type", "text/plain")])
            try await write.write("partial ")
            try await write.write("response ")
            throw Failure()
        case "/short":
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
            return ["12345"]
        case "/bad-status":
            startResponse("OK", [("Content-Type", "text/plain")])
            return ["never sent"]
        case "/hop-by-hop":
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Connection", "close")])
            return ["never sent"]
        case "/length-on-204":
            startResponse("204 No Content", [("Content-Length", "0")])
            return []
        case "/no-start":
            return ["never sent"]
        case "/no-content-type":
            startResponse("200 OK", [])
            return ["no type\n"]
        case "/no-content-with-body":
            startResponse("204 No Content", [])
            return ["a body a 204 must not have"]
        case "/cleanup":
            // Declares 10 bytes; sends them all, or only 5 with ?short; logs what cleanup was told.
            let short = environ.queryString == "short"
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
            let errors = environ.errors
            return ResponseBody(chunks: [short ? "12345" : "1234567890"]).onCleanup { delivered in
                errors.write("cleanup called: delivered=\(delivered)")
            }
        case "/empty-then-body":
            let write = startResponse("200 OK", [("Content-Type", "text/plain")])
            try await write.write("")
            return ["abc"]
        case "/bytes":
            // N bytes in 64 KiB chunks, each written once the server can take it.
            let total = Int(environ.queryString.split(separator: "=").last ?? "0") ?? 0
            startResponse("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", String(total))])
            return .stream { writer in
                var remaining = total
                let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
                while remaining > 0 {
                    let count = min(remaining, chunk.count)
                    try await writer.write(count == chunk.count ? chunk : Array(chunk[..<count]))
                    remaining -= count
                }
            }
        case "/pid":
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["\(getpid())\n"]
        case "/slow":
            let milliseconds = Int(environ.queryString.split(separator: "=").last ?? "") ?? 1000
            environ.errors.write("sleeping \(milliseconds) ms in \(getpid())")
            try await Task.sleep(for: .milliseconds(milliseconds))
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["slept \(milliseconds) ms in \(getpid())\n"]
        case "/threads":
            // Which threads the task ran on: where it started (the server's I/O thread), after
            // awaiting a body the client sends late, and after a Task.yield().
            let started = pthread_self()
            let body = try await environ.input.readAll(limit: 1 << 20)
            let afterRead = pthread_self()
            await Task.yield()
            let afterYield = pthread_self()
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["started=\(started) afterRead=\(afterRead) afterYield=\(afterYield) bytes=\(body.count)\n"]
        case "/trap":
            let empty = environ.queryString.split(separator: "&")
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["never sent \(empty[empty.count])"]
        case "/stream":
            let count = Int(environ.queryString.split(separator: "=").last ?? "3") ?? 3
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return .stream { writer in
                for index in 0..<count {
                    try await writer.write("chunk \(index)\n")
                }
            }
        default:
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["ok\n"]
        }
    }
}

/// An entry point whose startup hook fails, for the loader's error path.
@_cdecl("failing_startup")
public func failingStartup() -> UnsafeRawPointer {
    exportApplication(
        name: "failing-startup",
        startup: { _ in
            struct StartupFailure: Error, CustomStringConvertible {
                var description: String { "the database at db.invalid is unreachable" }
            }
            throw StartupFailure()
        }
    ) { _, startResponse in
        startResponse("200 OK", [("Content-Type", "text/plain")])
        return ["unreachable\n"]
    }
}

/// An inline application, run on the server's I/O thread: `/block?s=N` logs that it blocks that
/// thread, then does for N seconds (what an application must never do, and what `--timeout` is
/// for); any other path answers with the process id.
@_cdecl("blocking")
public func blocking() -> UnsafeRawPointer {
    exportApplication(name: "blocking", execution: .inline) { environ, startResponse in
        if environ.pathInfo == "/block" {
            let seconds = UInt32(environ.queryString.split(separator: "=").last ?? "") ?? 60
            environ.errors.write("blocking an event loop for \(seconds) s")
            sleep(seconds)
        }
        startResponse("200 OK", [("Content-Type", "text/plain")])
        return ["\(getpid())\n"]
    }
}

/// An entry point whose startup hook traps while the file named by `FAULTS_TRAP_AT_STARTUP`
/// exists: a crash in the application's startup, which the server can be shown recovering from.
@_cdecl("fragile_startup")
public func fragileStartup() -> UnsafeRawPointer {
    exportApplication(
        name: "fragile-startup",
        startup: { _ in
            if let path = getenv("FAULTS_TRAP_AT_STARTUP"), access(path, F_OK) == 0 {
                fatalError("told to trap at startup by \(String(cString: path))")
            }
        }
    ) { _, startResponse in
        startResponse("200 OK", [("Content-Type", "text/plain")])
        return ["\(getpid())\n"]
    }
}
