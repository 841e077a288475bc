/// Stops the view with the HTTP error `status` (Flask's `abort(404)`): the error handler for it,
/// or Werkzeug's page for it, answers. `message` replaces the page's default text.
public func abort(_ status: HTTPStatus, _ message: String? = nil) throws -> Never {
    throw HTTPException(status, message: message)
}

/// Stops the view and answers with `response` as it is, without error handlers.
public func abort(_ response: Response) throws -> Never {
    throw HTTPException(response: response)
}
