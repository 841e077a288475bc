/// A view: takes the request and returns a response, `HttpResponse`, `JsonResponse` or any other
/// `HttpResponseConvertible`. Path parameters are in `request.kwargs`.
///
/// A view may throw `Http404`, `PermissionDenied` or `BadRequest` for the matching error page;
/// anything else it throws is answered 500.
public typealias View = @Sendable (HttpRequest) async throws -> any HttpResponseConvertible
