import Foundation
import SwiftServeTesting

/// The Rust example of `Plugins/rust`, built with `cargo build --release` once per test run, where
/// cargo is on the PATH (into the crate's own `target/`, as a user builds it).
enum RustPlugin {
    /// cargo, when this machine has it.
    static let cargo = TestEnvironment.executable("cargo")

    /// `libhello_rust.so`, or why it could not be built.
    static let library: Result<String, BuildError> = build()

    struct BuildError: Error, CustomStringConvertible {
        var description: String
    }

    private static func build() -> Result<String, BuildError> {
        guard let cargo else {
            return .failure(BuildError(description: "cargo is not on the PATH: install Rust 1.77 or later (its cargo)"))
        }
        let crate = CFixtures.packageRoot.appendingPathComponent("Plugins/rust")
        do {
            let result = try CommandResult.run(
                cargo,
                [
                    "build", "--release", "--offline", "--manifest-path",
                    crate.appendingPathComponent("Cargo.toml").path,
                ],
                timeout: 600)
            guard result.status == 0 else {
                return .failure(BuildError(description: "cargo build failed:\n\(result.standardError)"))
            }
        } catch {
            return .failure(BuildError(description: "cannot run cargo: \(error)"))
        }
        return .success(crate.appendingPathComponent("target/release/libhello_rust.so").path)
    }
}
