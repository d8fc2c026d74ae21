"""Signed-in sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE after
the sign-in however busy they are.

Two stamps kept in the session itself, through the public session API only, so this works with
whatever SESSION_ENGINE says. Both are set at sign-in, when the session is written anyway; the
last-seen stamp is then written again at most every few minutes: a member reading page after page
does not write the session on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LAST_SEEN = "cercle_last_seen"
SIGNED_IN = "cercle_signed_in"
# Seconds between two writes of the last-seen stamp (less with a very short timeout): the timeout
# can come up to that much early, never late.
REFRESH_EVERY = 300


def stamp_sign_in(sender, request, user, **kwargs):
    """On `user_logged_in`: the session starts both clocks."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN] = now
        request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request, int(time.time()))
        return self.get_response(request)

    def _check(self, request, now: int) -> None:
        session = request.session
        last_seen, signed_in = session.get(LAST_SEEN), session.get(SIGNED_IN)
        idle = settings.SESSION_IDLE_TIMEOUT
        # Saving a session pushes its expiry SESSION_COOKIE_AGE further: the sign-in time keeps
        # that age an absolute limit.
        if (last_seen is not None and now - last_seen > idle) or (
            signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE
        ):
            logout(request)  # flushes the session (a new key), and the page is served signed out
            messages.info(request, _("Your session has expired: please sign in again."), fail_silently=True)
            return
        # A session signed in before these stamps existed starts its clocks now.
        if signed_in is None:
            session[SIGNED_IN] = now
        if last_seen is None or now - last_seen >= min(REFRESH_EVERY, idle // 10):
            session[LAST_SEEN] = now
