"""The `helloworld` Django project, served through its wsgi.py.

    swiftserve ../.build/release/libwsgi.so:app -- djangoapp:app

GET /hello answers "Hello world from Django!"; /greet/ is a form (with Django's CSRF
protection) that answers the name it is sent.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helloworld"))

from helloworld.wsgi import application as app  # noqa: E402
