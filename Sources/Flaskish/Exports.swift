// Apps that import Flaskish see the SDK's HTTP types (HTTPStatus, HeaderFields, MultiDict...) too.
@_exported import SSGI
