/// A request description with its `X-Request-Id` replaced (`--request-id`): the client's field,
/// if it had one the server did not keep, is left out, and the server's id is added after the
/// other fields, so that the application reads the id the logs and the response carry.
struct RequestWithId<Base: RequestDescription>: RequestDescription where Base.Bytes == UnsafeRawBufferPointer {
    let base: Base
    /// The index of the client's field left out, if any.
    let dropped: Int?
    /// The id's bytes, valid while the environ is laid out.
    let id: UnsafeRawBufferPointer

    private static var name: UnsafeRawBufferPointer {
        let name: StaticString = "X-Request-Id"
        return UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    }

    var method: UnsafeRawBufferPointer { self.base.method }
    var target: UnsafeRawBufferPointer { self.base.target }
    var isHTTP10: Bool { self.base.isHTTP10 }
    var bodyLength: Int64 { self.base.bodyLength }
    var fieldCount: Int { self.base.fieldCount + (self.dropped == nil ? 1 : 0) }

    /// The base's index of field `index`: the fields after the dropped one move up by one.
    private func baseIndex(_ index: Int) -> Int? {
        let last = self.fieldCount - 1
        if index == last { return nil }
        if let dropped = self.dropped, index >= dropped { return index + 1 }
        return index
    }

    func name(at index: Int) -> UnsafeRawBufferPointer {
        self.baseIndex(index).map { self.base.name(at: $0) } ?? Self.name
    }

    func value(at index: Int) -> UnsafeRawBufferPointer {
        self.baseIndex(index).map { self.base.value(at: $0) } ?? self.id
    }

    func kind(at index: Int) -> FieldName {
        self.baseIndex(index).map { self.base.kind(at: $0) } ?? .other
    }
}
