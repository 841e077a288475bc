import Testing

@testable import SwiftServe

/// `PATH:CALLABLE`, as WSGI servers take `module:callable`.
@Suite("ApplicationSpecifier")
struct ApplicationSpecifierTests {
    @Test("PATH:CALLABLE gives the path and the callable")
    func pathAndCallable() throws {
        let specifier = try ApplicationSpecifier(parsing: "lib.so:app")
        #expect(specifier.path == "lib.so")
        #expect(specifier.callable == "app")
        let other = try ApplicationSpecifier(parsing: "./.build/debug/libecho.so:make_Echo2")
        #expect(other.path == "./.build/debug/libecho.so")
        #expect(other.callable == "make_Echo2")
    }

    @Test("without a callable the entry point is app")
    func defaultCallable() throws {
        let specifier = try ApplicationSpecifier(parsing: "lib.so")
        #expect(specifier.path == "lib.so")
        #expect(specifier.callable == "app")
    }

    @Test("the last colon separates path and callable")
    func lastColon() throws {
        let specifier = try ApplicationSpecifier(parsing: "dir/x:y.so:main")
        #expect(specifier.path == "dir/x:y.so")
        #expect(specifier.callable == "main")
    }

    @Test("the description is PATH:CALLABLE")
    func description() throws {
        #expect(try ApplicationSpecifier(parsing: "lib.so").description == "lib.so:app")
        #expect(try ApplicationSpecifier(parsing: "a:b.so:_x1").description == "a:b.so:_x1")
    }

    @Test("an empty argument is a missing argument")
    func empty() {
        #expect(throws: LoadError.missingArgument) { try ApplicationSpecifier(parsing: "") }
    }

    @Test(
        "an empty path, an empty callable or a callable that is not a C identifier is malformed",
        arguments: [":app", "lib.so:", "lib.so:1abc", "lib.so:a-b", "lib.so:a b", "lib.so:é", ":"])
    func malformed(argument: String) {
        #expect(throws: LoadError.malformedArgument(argument)) { try ApplicationSpecifier(parsing: argument) }
    }

    @Test("the application's arguments are the reference, then the words after --")
    func argumentVector() throws {
        let specifier = try ApplicationSpecifier(parsing: "lib.so", arguments: ["flaskapp:app", "--threads", "4"])
        #expect(specifier.argumentVector == ["lib.so:app", "flaskapp:app", "--threads", "4"])
        #expect(specifier.description == "lib.so:app")
        #expect(try ApplicationSpecifier(parsing: "lib.so:main").argumentVector == ["lib.so:main"])
    }
}
