"""The four example applications, each inside wsgiref.validate.validator, with its warnings made
errors: anything the validator finds in a request becomes a 500 and a traceback in the log."""

import warnings
from wsgiref.validate import WSGIWarning, validator

import djangoapp
import flaskapp
import pyramidapp
import wsgiapp

warnings.simplefilter("error", WSGIWarning)

wsgi = validator(wsgiapp.app)
flask = validator(flaskapp.app)
pyramid = validator(pyramidapp.app)
django = validator(djangoapp.app)
