/// Any `Encodable` value, boxed so that a dictionary of mixed values, `["id": 7, "name": "Ada"]`,
/// can be encoded as one JSON object.
struct EncodableValue: Encodable {
    let value: any Encodable

    func encode(to encoder: any Encoder) throws {
        try self.value.encode(to: encoder)
    }
}
