/// The path of the URL pattern named `name` (`"user-detail"`, or `"api:status"` inside a namespaced
/// include) with its parameters filled from `kwargs`, percent-encoded and under the project's
/// mount point: `/users/7/`. Django's `reverse`.
///
/// Works while a project handles a request (in views and middleware); elsewhere use `Project.reverse`.
/// Throws `NoReverseMatch` when no pattern of that name takes exactly these parameters with these values.
public func reverse(_ name: String, kwargs: [String: any CustomStringConvertible] = [:]) throws -> String {
    guard let resolver = URLResolver.current else {
        throw NoReverseMatch("Reverse for '\(name)' outside a request: no project's urlpatterns are active")
    }
    return try resolver.reverse(name, kwargs: kwargs.mapValues(\.description))
}
