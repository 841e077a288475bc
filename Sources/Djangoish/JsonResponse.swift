#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A response whose content is a value encoded as JSON, with Content-Type `application/json`:
/// Django's `JsonResponse`. Keys are sorted so that the same value always gives the same bytes.
public struct JsonResponse: HttpResponseConvertible {
    public var httpResponse: HttpResponse

    /// Encodes `data`; throws when it cannot be encoded (a non-finite number, say).
    public init<Value: Encodable>(
        _ data: Value, status: HTTPStatus = .ok, headers: HeaderFields = [:], encoder: JSONEncoder? = nil
    ) throws {
        let encoder =
            encoder
            ?? {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                return encoder
            }()
        self.httpResponse = HttpResponse(
            bytes: Array(try encoder.encode(data)), status: status, contentType: "application/json", headers: headers)
    }
}
