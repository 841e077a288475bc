"""A Pyramid application: a Configurator with a `hello` route.

    swiftserve ../.build/release/libwsgi.so:app -- pyramidapp:app

GET /hello answers "Hello world from Pyramid!".
"""

from pyramid.config import Configurator
from pyramid.response import Response


def hello(request):
    return Response("Hello world from Pyramid!\n", content_type="text/plain")


with Configurator() as config:
    config.add_route("hello", "/hello")
    config.add_view(hello, route_name="hello")
    app = config.make_wsgi_app()
