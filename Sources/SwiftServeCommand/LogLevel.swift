import ArgumentParser
import Logging

/// `--log-level`: swift-log's levels by name.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: self.rawValue)! }
}
