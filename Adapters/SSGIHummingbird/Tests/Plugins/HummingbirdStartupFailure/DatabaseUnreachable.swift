/// The failure the startup-failure application's setup throws.
struct DatabaseUnreachable: Error, CustomStringConvertible {
    var description: String { "the database is unreachable" }
}
