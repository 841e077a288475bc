/// The request body is longer than the adapter collects: declared so by its Content-Length, or
/// found so while it was read. The adapter answers it with Vapor's 413 through the middleware.
struct RequestBodyTooLarge: Error {}
