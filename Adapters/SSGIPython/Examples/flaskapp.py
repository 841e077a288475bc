"""A Flask application, served as its WSGI callable.

    swiftserve ../.build/release/libwsgi.so:app -- flaskapp:app

GET /hello answers "Hello world from Flask!"; POST /echo answers its form field `name`.
"""

from flask import Flask, request

flask_app = Flask("flaskapp")


@flask_app.route("/hello")
def hello():
    return "Hello world from Flask!\n", 200, {"Content-Type": "text/plain"}


@flask_app.route("/echo", methods=["POST"])
def echo():
    return f"Hello, {request.form.get('name', 'stranger')}!\n", 200, {"Content-Type": "text/plain"}


app = flask_app.wsgi_app
