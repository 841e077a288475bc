"""Settings of the helloworld project: no database, no templates on disk, CSRF protection on."""

SECRET_KEY = "swiftserve-example-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "helloworld.urls"
TEMPLATES = []
DATABASES = {}
USE_TZ = True
WSGI_APPLICATION = "helloworld.wsgi.application"
