/// Why `CommonMiddleware` did not redirect a request with a body to the URL ending in a slash.
struct AppendSlashError: Error, CustomStringConvertible {
    var method: String
    var location: String

    var description: String {
        "You called this URL via \(self.method), but the URL doesn't end in a slash and you have APPEND_SLASH set. "
            + "Djangoish can't redirect to the slash URL while maintaining \(self.method) data. "
            + "Change your form to point to \(self.location) (note the trailing slash), or set APPEND_SLASH = false."
    }
}
