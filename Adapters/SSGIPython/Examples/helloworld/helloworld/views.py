from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.views.decorators.http import require_safe


@require_safe
def hello(request):
    return HttpResponse("Hello world from Django!\n", content_type="text/plain")


def greet(request):
    """GET: a form asking for a name. POST (with the form's CSRF token): "Hello, NAME!"."""
    if request.method == "POST":
        return HttpResponse(f"Hello, {request.POST.get('name', 'stranger')}!\n", content_type="text/plain")
    token = escape(get_token(request))
    return HttpResponse(
        '<form method="post" action="/greet/">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input name="name"><button>Greet</button></form>\n',
        content_type="text/html; charset=utf-8",
    )
