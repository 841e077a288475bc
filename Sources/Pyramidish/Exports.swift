// Pyramidish apps use the SDK's HTTP types (`HTTPStatus`, `HeaderFields`, `MultiDict`) directly.
@_exported import SSGI
