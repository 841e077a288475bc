"""The WSGI applications the bridge's tests serve: one behaviour of PEP 3333 per path.

Each view says what it does; the Swift tests in Tests/SSGIPythonTests send the requests and check
the answers, the server's log and what the views report there through wsgi.errors.
"""

import io
import json
import sys
import threading
import time
from urllib.parse import parse_qs


def reply(start_response, body, status="200 OK", content_type="text/plain"):
    if isinstance(body, str):
        body = body.encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def query(environ):
    return {key: values[-1] for key, values in parse_qs(environ["QUERY_STRING"], keep_blank_values=True).items()}


def environ_view(environ, start_response):
    """The environ as JSON: every CGI value, and the types and values of the wsgi.* keys."""
    cgi = {key: value for key, value in environ.items() if "." not in key}
    report = {
        "cgi": cgi,
        "not_str": sorted(key for key, value in cgi.items() if type(value) is not str),
        "wsgi.version": environ["wsgi.version"],
        "version_is_tuple": type(environ["wsgi.version"]) is tuple,
        "wsgi.url_scheme": environ["wsgi.url_scheme"],
        "flags": {key: environ[key] for key in ("wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once")},
        "flag_types": sorted({type(environ[key]).__name__ for key in ("wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once")}),
        "wsgi.input_terminated": environ.get("wsgi.input_terminated"),
        "input_methods": [name for name in ("read", "readline", "readlines", "__iter__") if hasattr(environ["wsgi.input"], name)],
        "errors_methods": [name for name in ("write", "writelines", "flush") if hasattr(environ["wsgi.errors"], name)],
        "file_wrapper": callable(environ.get("wsgi.file_wrapper")),
        "body_read": len(environ["wsgi.input"].read()),
    }
    return reply(start_response, json.dumps(report), content_type="application/json")


def read_view(environ, start_response):
    """Applies the reads of ?ops=read:5,readline,readline:3,readlines:4,iter,read to wsgi.input, in
    order, and answers each result as a latin-1 string in a JSON list."""
    stream = environ["wsgi.input"]
    results = []
    for op in query(environ)["ops"].split(","):
        name, _, argument = op.partition(":")
        if name == "iter":
            value = list(stream)
        elif argument == "none":
            value = getattr(stream, name)(None)
        elif argument:
            value = getattr(stream, name)(int(argument))
        else:
            value = getattr(stream, name)()
        if isinstance(value, list):
            results.append([type(item).__name__ + ":" + item.decode("latin-1") for item in value])
        else:
            results.append(type(value).__name__ + ":" + value.decode("latin-1"))
    return reply(start_response, json.dumps(results), content_type="application/json")


def echo_view(environ, start_response):
    """The body back, read whole with read()."""
    return reply(start_response, environ["wsgi.input"].read(), content_type="application/octet-stream")


def errors_view(environ, start_response):
    errors = environ["wsgi.errors"]
    errors.write("errors: a whole line\n")
    errors.write("errors: a line ")
    errors.write("in two writes\n")
    errors.writelines(["errors: from writelines 1\n", "errors: from writelines 2\n"])
    errors.write("errors: flushed without a newline")
    errors.flush()
    print("errors: printed", file=errors)
    return reply(start_response, "logged\n")


class DescriptorOnly:
    """A file whose read() fails: only a server that sends from the descriptor can serve it."""

    def __init__(self, handle):
        self.handle = handle

    def fileno(self):
        return self.handle.fileno()

    def tell(self):
        return self.handle.tell()

    def read(self, size=-1):
        raise RuntimeError("read() called: the file was iterated, not sent from its descriptor")

    def close(self):
        self.handle.close()


def file_view(environ, start_response):
    """?path=P&kind=file|descriptor|bytesio&skip=N: wsgi.file_wrapper around the file (read N
    bytes first), around a file whose read() fails, or around an io.BytesIO of its bytes."""
    options = query(environ)
    handle = open(options["path"], "rb")
    handle.read(int(options.get("skip", "0")))
    if options.get("kind") == "descriptor":
        handle = DescriptorOnly(handle)
    elif options.get("kind") == "bytesio":
        data = handle.read()
        handle.close()
        handle = io.BytesIO(data)
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return environ["wsgi.file_wrapper"](handle, 4096)


def write_view(environ, start_response):
    """write() before returning, then more chunks from the iterable."""
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"one ")
    write(b"two ")
    return [b"three ", b"four\n"]


def exc_before_view(environ, start_response):
    """Fails before any byte went out: start_response with exc_info replaces the head."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-First", "yes")])
    try:
        raise ValueError("a failure before the body")
    except ValueError:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")], sys.exc_info())
    return [b"replaced by the error page\n"]


def exc_after_view(environ, start_response):
    """Fails after the head went out: start_response with exc_info re-raises, and the
    application lets it propagate."""
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    # Two writes: the server holds one back (it may give it a Content-Length), not two.
    write(b"partial ")
    write(b"body ")
    try:
        raise ValueError("a failure after the head")
    except ValueError:
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
    return [b"never sent\n"]


def second_start_view(environ, start_response):
    """start_response twice without exc_info: refused with AssertionError."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    start_response("201 Created", [("Content-Type", "text/plain")])
    return [b"never\n"]


def lazy_view(environ, start_response):
    """A generator that calls start_response only when first iterated, after an empty chunk."""
    yield b""
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Lazy", "yes")])
    yield b""
    yield b"lazy "
    yield b"body\n"


def lazy_empty_view(environ, start_response):
    """A generator that starts the response and yields nothing: the head goes out at the end."""
    start_response("204 No Content", [])
    return
    yield


def no_start_view(environ, start_response):
    return [b"no head\n"]


def str_body_view(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["a str is not bytes\n"]


class Closing:
    """An iterable that logs its close() through wsgi.errors; ?fail=1 raises after the first
    chunk, ?slow=1 waits between chunks (for a client that goes away)."""

    def __init__(self, environ, marker):
        self.errors = environ["wsgi.errors"]
        self.marker = marker
        self.options = query(environ)

    def __iter__(self):
        yield b"first\n"
        yield b"second\n"
        if self.options.get("fail"):
            raise RuntimeError("failed while iterating " + self.marker)
        for index in range(200 if self.options.get("slow") else 1):
            if self.options.get("slow"):
                time.sleep(0.05)
            yield b"more %d\n" % index

    def close(self):
        self.errors.write("closed %s\n" % self.marker)
        self.errors.flush()


def close_view(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Closing(environ, query(environ)["marker"])


def read_then_close_view(environ, start_response):
    """Reads the whole body (a client may go away meanwhile), answering through Closing."""
    closing = Closing(environ, query(environ)["marker"])
    try:
        environ["wsgi.input"].read()
    finally:
        closing.close()
    return reply(start_response, "read\n")


def raise_view(environ, start_response):
    raise ValueError("raised by the application on purpose")


def bad_head_view(environ, start_response):
    """start_response with what PEP 3333 and HTTP forbid, by ?kind=."""
    kind = query(environ)["kind"]
    headers = [("Content-Type", "text/plain")]
    status = "200 OK"
    if kind == "crlf":
        headers.append(("X-Split", "a\r\nSet-Cookie: injected=1"))
    elif kind == "nonlatin":
        headers.append(("X-Name", "\u20ac uro"))
    elif kind == "name":
        headers.append(("X Bad", "value"))
    elif kind == "bytes":
        headers.append((b"X-Bytes", b"value"))
    elif kind == "status":
        status = "200OK"
    elif kind == "hop":
        headers.append(("Connection", "close"))
    start_response(status, headers)
    return [b"never sent\n"]


def cookies_view(environ, start_response):
    start_response(
        "200 OK",
        [("Content-Type", "text/plain"), ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; HttpOnly"), ("Set-Cookie", "c=3")],
    )
    return [b"three cookies\n"]


def sleep_view(environ, start_response):
    seconds = float(query(environ).get("s", "1"))
    time.sleep(seconds)
    return reply(start_response, "slept %s on %s\n" % (seconds, threading.get_ident()))


def hello_view(environ, start_response):
    return reply(start_response, "hello\n")


VIEWS = {
    "/environ": environ_view,
    "/read": read_view,
    "/echo": echo_view,
    "/errors": errors_view,
    "/file": file_view,
    "/write": write_view,
    "/exc-before": exc_before_view,
    "/exc-after": exc_after_view,
    "/second-start": second_start_view,
    "/lazy": lazy_view,
    "/lazy-empty": lazy_empty_view,
    "/no-start": no_start_view,
    "/str-body": str_body_view,
    "/close": close_view,
    "/read-then-close": read_then_close_view,
    "/raise": raise_view,
    "/bad-head": bad_head_view,
    "/cookies": cookies_view,
    "/sleep": sleep_view,
    "/hello": hello_view,
}


def app(environ, start_response):
    """Dispatches on the first segment of the path: /environ/anything goes to environ_view."""
    view = VIEWS.get("/" + environ["PATH_INFO"].split("/")[1])
    if view is None:
        return reply(start_response, "no such view\n", status="404 Not Found")
    return view(environ, start_response)


def argv(environ, start_response):
    """sys.argv and sys.path[:3], as JSON."""
    return reply(start_response, json.dumps({"argv": sys.argv, "path": sys.path[:3]}), content_type="application/json")
