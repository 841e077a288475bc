import CSSGI
import Glibc
import Testing

@testable import SSGI

/// What the server tells the application at startup (SPEC §4, §4.1), read from its C layout by
/// the SDK and checked by the validator.
@Suite("ServerInfo")
struct ServerInfoTests {
    /// Lays `arguments` out argv-style (NULL last, unless `terminated` is false) in an
    /// `ssgi_server_info` of `structSize` bytes, and reads it back as the SDK does.
    private func read(
        _ arguments: [String?], count: Int? = nil, terminated: Bool = true,
        structSize: Int = MemoryLayout<ssgi_server_info>.size
    ) throws -> ServerInfo {
        let copies = arguments.map { $0.map { UnsafePointer(strdup($0)!) } }
        defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        let marker = UnsafePointer(strdup("not the end")!)
        defer { free(UnsafeMutablePointer(mutating: marker)) }
        let vector = copies + [terminated ? nil : marker]
        return try "swiftserve/test".withCString { software in
            var info = ssgi_server_info(
                struct_size: structSize, server_software: software, abi_major: 1, abi_minor: 1,
                flags: UInt32(SSGI_FLAG_MULTIPROCESS), ops: nil, argument_count: count ?? arguments.count,
                arguments: nil)
            return try vector.withUnsafeBufferPointer { pointer in
                info.arguments = pointer.baseAddress
                return try ServerInfo(validating: &info)
            }
        }
    }

    private func expectViolation(_ detail: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a violation of \(detail)")
        } catch let error as ValidationError {
            #expect(error.rule == .serverInfo)
            #expect(error.detail.contains(detail), "\(error)")
        } catch {
            Issue.record("expected a ValidationError, got \(error)")
        }
    }

    @Test("the arguments are read in order, after the fields of 1.0")
    func arguments() throws {
        let info = try self.read(["lib.so:app", "--threads", "", "été"])
        #expect(info.arguments == ["lib.so:app", "--threads", "", "été"])
        #expect(info.serverSoftware == "swiftserve/test")
        #expect(info.multiprocess && !info.multithread && !info.runOnce)
        #expect(info.abiMajor == 1 && info.abiMinor == 1)
    }

    @Test("a struct_size that ends before the arguments (a 1.0 server) gives none, and nothing past it is read")
    func serverOfOneZero() throws {
        let size = MemoryLayout<ssgi_server_info>.offset(of: \.argument_count)!
        #expect(try self.read(["lib.so:app", "x"], structSize: size).arguments == [])
    }

    @Test("no arguments at all breaks the rule that the reference comes first")
    func empty() {
        self.expectViolation("at least the application reference") {
            _ = try self.read([])
        }
    }

    @Test("a NULL before argument_count, or no NULL after, is refused")
    func notArgvStyle() {
        self.expectViolation("arguments[1] is NULL") {
            _ = try self.read(["lib.so:app", nil, "x"])
        }
        self.expectViolation("arguments[argument_count] is not NULL") {
            _ = try self.read(["lib.so:app", "x"], terminated: false)
        }
    }

    @Test("the validator passes what swiftserve gives")
    func validatorPasses() throws {
        try Validator.checkServerInfo(ServerInfo(serverSoftware: "swiftserve", arguments: ["lib.so:app", "x"]))
        try Validator.checkServerInfo(ServerInfo(abiMinor: 0, arguments: []))
    }

    @Test(
        "the validator refuses a 1.1 server without the application reference first",
        arguments: [[], ["x"], [":app"], ["lib.so:"], ["lib.so:1app"], ["--threads", "4"]])
    func validatorRefusesReference(arguments: [String]) {
        self.expectViolation("arguments") {
            try Validator.checkServerInfo(ServerInfo(arguments: arguments))
        }
    }

    @Test("the validator refuses another major version and an unnamed server")
    func validatorRefusesServer() {
        self.expectViolation("speaks SSGI 2.0") {
            try Validator.checkServerInfo(ServerInfo(abiMajor: 2, abiMinor: 0))
        }
        self.expectViolation("server_software is empty") {
            try Validator.checkServerInfo(ServerInfo(serverSoftware: "", arguments: ["lib.so:app"]))
        }
    }

    @Test("an environ of 1.0, 1.1 or 1.2 passes the validator; another version does not")
    func environVersions() throws {
        try Validator.checkEnviron(Environ())
        var environ = Environ()
        for version in ["1.0", "1.1", "1.2"] {
            environ.version = version
            try Validator.checkEnviron(environ)
        }
        environ.version = "1.3"
        #expect(throws: ValidationError.self) { try Validator.checkEnviron(environ) }
    }
}
