"""The smallest WSGI application: no framework, one answer to every request.

    swiftserve ../.build/release/libwsgi.so:app -- wsgiapp:app
"""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"Hello world from a simple WSGI application!\n"]
