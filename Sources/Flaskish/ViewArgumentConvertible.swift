#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A Swift type a view argument can be read as with `request.viewArg(_:)`.
public protocol ViewArgumentConvertible {
    /// The value held by `argument`, or nil when it holds another type.
    init?(viewArgument argument: ViewArgument)
}

extension String: ViewArgumentConvertible {
    /// Any argument, as text.
    public init?(viewArgument argument: ViewArgument) {
        self = argument.description
    }
}

extension Int: ViewArgumentConvertible {
    /// An `<int:...>` argument.
    public init?(viewArgument argument: ViewArgument) {
        guard case .int(let number) = argument else { return nil }
        self = number
    }
}

extension Double: ViewArgumentConvertible {
    /// A `<float:...>` argument, or an `<int:...>` one widened.
    public init?(viewArgument argument: ViewArgument) {
        switch argument {
        case .float(let number): self = number
        case .int(let number): self = Double(number)
        default: return nil
        }
    }
}

extension UUID: ViewArgumentConvertible {
    /// A `<uuid:...>` argument.
    public init?(viewArgument argument: ViewArgument) {
        guard case .uuid(let uuid) = argument else { return nil }
        self = uuid
    }
}
