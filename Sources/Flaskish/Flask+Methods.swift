extension Flask {
    /// Registers a GET view (which answers HEAD too).
    @inlinable
    public mutating func get<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) throws -> Result
    ) {
        self.route(rule, methods: ["GET"], endpoint: endpoint, view)
    }

    /// Registers an asynchronous GET view (which answers HEAD too).
    @inlinable
    public mutating func get<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.route(rule, methods: ["GET"], endpoint: endpoint, view)
    }

    /// Registers a POST view.
    @inlinable
    public mutating func post<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) throws -> Result
    ) {
        self.route(rule, methods: ["POST"], endpoint: endpoint, view)
    }

    /// Registers an asynchronous POST view.
    @inlinable
    public mutating func post<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.route(rule, methods: ["POST"], endpoint: endpoint, view)
    }

    /// Registers a PUT view.
    @inlinable
    public mutating func put<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) throws -> Result
    ) {
        self.route(rule, methods: ["PUT"], endpoint: endpoint, view)
    }

    /// Registers an asynchronous PUT view.
    @inlinable
    public mutating func put<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.route(rule, methods: ["PUT"], endpoint: endpoint, view)
    }

    /// Registers a PATCH view.
    @inlinable
    public mutating func patch<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) throws -> Result
    ) {
        self.route(rule, methods: ["PATCH"], endpoint: endpoint, view)
    }

    /// Registers an asynchronous PATCH view.
    @inlinable
    public mutating func patch<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.route(rule, methods: ["PATCH"], endpoint: endpoint, view)
    }

    /// Registers a DELETE view.
    @inlinable
    public mutating func delete<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) throws -> Result
    ) {
        self.route(rule, methods: ["DELETE"], endpoint: endpoint, view)
    }

    /// Registers an asynchronous DELETE view.
    @inlinable
    public mutating func delete<Result: ResponseConvertible>(
        _ rule: String, endpoint: String? = nil, _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.route(rule, methods: ["DELETE"], endpoint: endpoint, view)
    }
}
