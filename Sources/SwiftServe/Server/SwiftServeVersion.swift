/// The version of swiftserve, shown by `swiftserve --version`.
public enum SwiftServeVersion {
    public static let current = "0.1.0"
}
