"""A module that does not compile, for the test of an import error at startup."""

def app(environ, start_response)
    return []
