#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A plain-text response, `text/plain; charset=utf-8`.
public func text(_ body: String, status: HTTPStatus = .ok, headers: HeaderFields = [:]) -> Response {
    Response(body, status: status, headers: headers, contentType: Response.plainTextContentType)
}

/// A JSON response of `value`, `application/json`, as Flask's `jsonify` writes it: compact, keys
/// sorted, ending with a newline. Throws what the encoder throws (a non-finite number, say).
public func jsonify<Value: Encodable>(_ value: Value, status: HTTPStatus = .ok, headers: HeaderFields = [:]) throws
    -> Response
{
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var body = Array(try encoder.encode(value))
    body.append(UInt8(ascii: "\n"))
    return Response(bytes: body, status: status, headers: headers, contentType: Response.jsonContentType)
}

/// A JSON object of mixed values, as Flask's `jsonify(id=7, name="Ada")`: `jsonify(["id": id, "name": name])`.
public func jsonify(_ object: [String: any Encodable], status: HTTPStatus = .ok, headers: HeaderFields = [:]) throws
    -> Response
{
    try jsonify(object.mapValues(EncodableValue.init), status: status, headers: headers)
}

/// A redirect to `location` (302 Found unless `code` says otherwise), with Werkzeug's short HTML
/// body linking to it. Characters a Location header cannot hold are percent-encoded.
public func redirect(to location: String, code: HTTPStatus = .found) -> Response {
    let target = PercentEncoding.encode(location) { $0 > 0x20 && $0 < 0x7F }
    let page = """
        <!doctype html>
        <html lang=en>
        <title>Redirecting...</title>
        <h1>Redirecting...</h1>
        <p>You should be redirected automatically to the target URL: <a href="\(HTMLEscaping.escape(target))">\
        \(HTMLEscaping.escape(location))</a>. If not, click the link.

        """
    return Response(page, status: code, headers: ["Location": target])
}

/// The response of `body` with its status and headers changed, as Flask's `make_response(body,
/// status, headers)` and a view's `(body, status)` tuple: `makeResponse("Created", 201)`.
public func makeResponse(_ body: some ResponseConvertible, _ status: HTTPStatus? = nil, headers: HeaderFields = [:])
    throws -> Response
{
    var response = try body.makeResponse()
    if let status { response.status = status }
    for (name, value) in headers { response.headers[name] = value }
    return response
}
