"""Pages as anonymous visitors get them (an event, a circle, the agenda), kept whole under a version.

What they show is what the public may see of events, circles and members. Any write to those
(the signals connected in the events, circles and people apps, and the bulk writes that send
none) moves one site-wide version once its transaction commits, and each page's key carries it,
with the address, the language and the minute (an event that started stops taking answers
without anyone writing anything). Each answer carries an ETag of its key: a browser asking again
with it gets a 304 from Django's ConditionalGetMiddleware.

A cached page holds a placeholder where the CSRF token goes (the language switch's form); each
answer gets the visitor's own token, so a page rendered for one visitor never carries another's.
"""

import secrets
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from cercle import site_versions
from cercle.versioned_cache import get_or_build, versioned_key

# Random per process: text typed by a member can never be mistaken for it.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
# The minute is in the key: an entry is never asked for after two.
TIMEOUT_S = 120


def public_version() -> str:
    return site_versions.current(site_versions.PUBLIC_PAGES)


def public_content_changed(**_signal_kwargs) -> None:
    """A signal receiver: something public pages show was written."""
    transaction.on_commit(new_public_version)


def new_public_version() -> None:
    site_versions.move(site_versions.PUBLIC_PAGES)


def public_page(request, template_name: str, build_context: Callable[[], dict]) -> HttpResponse:
    """`render()` for an anonymous visitor; `build_context` is only called on a miss (its Http404
    is not kept: a page that does not exist costs its lookup each time)."""
    if len(get_messages(request)):
        # A one-time message goes with this answer only.
        return render(request, template_name, build_context())
    minute = timezone.now().replace(second=0, microsecond=0)
    parts = (template_name, request.get_full_path(), bool(request.htmx), get_language(), public_version(), minute)

    def build() -> str:
        return render_to_string(template_name, {**build_context(), "csrf_token": CSRF_PLACEHOLDER}, request=request)

    html = get_or_build("public-page", parts, build, timeout=TIMEOUT_S)
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    response["ETag"] = f'W/"{versioned_key("public-page", *parts).split(":", 1)[1]}"'
    return response
