import Foundation

/// The outcome of running a command to its end.
public struct CommandResult: Sendable {
    public var status: Int32
    public var standardOutput: Data
    public var standardError: String

    public var outputText: String { String(decoding: self.standardOutput, as: UTF8.self) }

    /// Runs `executable` with `arguments` and waits for it to exit (killing it after `timeout`);
    /// `environment` is added to this process's, and `directory` is its current directory.
    public static func run(
        _ executable: String, _ arguments: [String], standardInput: Data? = nil, timeout: TimeInterval = 120,
        environment: [String: String] = [:], directory: String? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let input = Pipe()
        process.standardInput = standardInput == nil ? FileHandle.nullDevice : input
        let outputCollector = OutputCollector()
        let errorCollector = OutputCollector()
        output.fileHandleForReading.readabilityHandler = { outputCollector.append($0.availableData) }
        error.fileHandleForReading.readabilityHandler = { errorCollector.append($0.availableData) }
        try process.run()
        if let standardInput {
            try input.fileHandleForWriting.write(contentsOf: standardInput)
            try input.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            process.terminate()
        }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        error.fileHandleForReading.readabilityHandler = nil
        outputCollector.append(output.fileHandleForReading.readDataToEndOfFile())
        errorCollector.append(error.fileHandleForReading.readDataToEndOfFile())
        return CommandResult(
            status: process.terminationStatus, standardOutput: outputCollector.bytes,
            standardError: errorCollector.text)
    }

    /// Runs `swiftserve` itself.
    public static func swiftserve(_ arguments: [String], timeout: TimeInterval = 30) throws -> CommandResult {
        try run(BuildProducts.swiftserve, arguments, timeout: timeout)
    }

    /// Runs curl (from PATH).
    public static func curl(_ arguments: [String], timeout: TimeInterval = 120) throws -> CommandResult {
        try run("/usr/bin/env", ["curl"] + arguments, timeout: timeout)
    }
}
