"""`Cache-Control: no-store` on every answer to a signed-in member or an API token.

What a member sees is theirs (contacts, messages, HTMX fragments, API answers): no browser,
proxy or shared computer's disk may keep it. A view that set Cache-Control itself is trusted
(the public circle feeds are the same for everyone and keep their caching); anonymous pages keep
whatever they had.
"""

from django.utils.cache import add_never_cache_headers


class PrivateNoStoreMiddleware:
    """Put after AuthenticationMiddleware: it reads request.user once the view has answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and _private(request):
            add_never_cache_headers(response)
        return response


def _private(request) -> bool:
    # API tokens are checked by the API itself, after the middleware: a call that carries one is
    # private whatever it is answered.
    user = getattr(request, "user", None)
    return "Authorization" in request.headers or bool(user and user.is_authenticated)
