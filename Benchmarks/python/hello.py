"""The benchmark's responses as a WSGI application, for gunicorn and granian.

/json: {"message":"Hello, World!"}, encoded per request; /bytes: 64 KiB of x; /echo: the request body back;
anything else: the 44-byte plaintext hello.
"""

import json

PLAINTEXT = b"Hello world from a simple SSGI application!\n"
MESSAGE = {"message": "Hello, World!"}
BYTES = b"x" * (64 * 1024)


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/json":
        kind, body = "application/json", [json.dumps(MESSAGE, separators=(",", ":")).encode()]
    elif path == "/bytes":
        kind, body = "application/octet-stream", [BYTES]
    elif path == "/echo":
        kind = "application/octet-stream"
        body = [environ["wsgi.input"].read()]
    else:
        kind, body = "text/plain", [PLAINTEXT]
    start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body[0])))])
    return body
