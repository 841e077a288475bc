import Vapor

/// What `POST /upload` answers: the body's length and its FNV-1a hash in hexadecimal.
struct UploadDigest: Content {
    var bytes: Int
    var fnv1a: String
}
