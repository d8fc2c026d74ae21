"""Whole rendered pages kept per process, under a key that names everything they show.

The caller builds the key from a *state* read in one query (versions, relationship flags,
the unread count…), so a change anywhere in that state makes a new key and the old page is
simply never asked for again: nothing needs invalidating, across processes too. Pages are
rendered with a placeholder where the CSRF token goes and the requesting browser's own token
is put back on every answer, so a page cached for one session never carries another's token.
"""

import hashlib
import secrets
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

# Random per process: text typed by a member can never be mistaken for it.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
# A bound on staleness should a dependency ever be left out of a key.
TIMEOUT_S = 300


def _cache():
    return caches["pages"]


def _key(request, template_name: str, key_parts: tuple) -> str:
    parts = (template_name, get_language(), request.get_full_path(), bool(getattr(request, "htmx", False)), key_parts)
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def render_cached(request, template_name: str, context: Callable[[], dict], *, key_parts: tuple) -> HttpResponse:
    """`render()` for a page whose content is fully determined by `key_parts` (plus the template,
    language and path). `context` is only called when the page must be rendered."""
    if len(get_messages(request)):
        # A one-time message is shown with this page: render it for this answer only.
        return HttpResponse(render_to_string(template_name, context(), request=request))
    key = _key(request, template_name, key_parts)
    html = _cache().get(key)
    if html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request=request)
        _cache().set(key, html, TIMEOUT_S)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
