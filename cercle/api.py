"""The JSON API root. Each app adds its router; OpenAPI schema at /api/openapi.json.

Abuse limits (ninja's throttling, counters in the cache): each member's calls, all their tokens
together, at API_RATE_LIMIT; calls without a valid token, per client address, at
API_ANON_RATE_LIMIT. Past either, a 429 with `Retry-After`.
"""

from functools import partial, wraps

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from cercle.api_errors import too_many_requests

# The cache whose live keys are never culled (cercle/settings.py), like allauth's log-in counters.
THROTTLE_CACHE = "default"


class _RateFromSettings:
    """A throttle whose rate is a setting, read on each call (so a test's override applies)."""

    setting: str

    def __init__(self) -> None:
        super().__init__(getattr(settings, self.setting))

    @property
    def cache(self):
        # Looked up on each call: Django's caches are per thread.
        return caches[THROTTLE_CACHE]

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class MemberThrottle(_RateFromSettings, AuthRateThrottle):
    """Per member, whichever of their tokens calls: more tokens buy no more calls."""

    setting = "API_RATE_LIMIT"

    def get_cache_key(self, request) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonymousThrottle(_RateFromSettings, AnonRateThrottle):
    """Per client address (NINJA_NUM_PROXIES says which one to trust), for calls without a valid token."""

    setting = "API_ANON_RATE_LIMIT"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cer_…` with a token made on the "API tokens" page."""

    def __call__(self, request):
        user = super().__call__(request)
        if user is None:
            # ninja throttles only once authenticated: calls that fail to are counted here. A
            # throttle per call, as it keeps the call's state (web servers may run threads).
            throttle = AnonymousThrottle()
            if not throttle.allow_request(request):
                raise Throttled(wait=throttle.wait())
        return user

    def authenticate(self, request, token):
        from people.services import api_token_user

        user = api_token_user(key=token)
        if user is not None:
            request.user = user
        return user


def throttled_like_calls_without_a_token(view):
    """For the schema's view, which is not an operation: ninja neither authenticates nor throttles it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        throttle = AnonymousThrottle()
        if not throttle.allow_request(request):
            return too_many_requests(request, Throttled(wait=throttle.wait()), api=api)
        return view(request, *args, **kwargs)

    return wrapped


NUL_REFUSED = _("Text may not contain NUL characters.")


def _has_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_nul(item) for item in data)
    return False


class NoNulParser(Parser):
    """JSON and query strings without NUL characters: PostgreSQL cannot store them (Django's forms
    refuse them too, with ProhibitNullCharactersValidator). A 400: ninja answers one for a body
    it cannot parse, with its own words."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_nul(data):
            raise HttpError(400, str(NUL_REFUSED))
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if _has_nul(result):
            raise HttpError(400, str(NUL_REFUSED))
        return result


api = NinjaAPI(
    title="Cercle API",
    version="1",
    description="Profiles and members of Cercle, seen through each member's own privacy settings.",
    auth=TokenAuth(),
    throttle=[MemberThrottle()],
    parser=NoNulParser(),
    docs_url=None,  # the interactive docs would load scripts from a CDN; the schema is enough
    docs_decorator=throttled_like_calls_without_a_token,
    urls_namespace="api",
)
api.add_exception_handler(Throttled, partial(too_many_requests, api=api))

from circles.api import router as circles_router  # noqa: E402 - routers register on the api above
from events.api import router as events_router  # noqa: E402
from intros.api import router as intros_router  # noqa: E402
from matching.api import router as matching_router  # noqa: E402
from network.api import router as network_router  # noqa: E402
from people.api import router as people_router  # noqa: E402
from referrals.api import router as referrals_router  # noqa: E402
from vouches.api import router as vouches_router  # noqa: E402

api.add_router("", people_router)
api.add_router("/network", network_router)
api.add_router("/circles", circles_router)
api.add_router("/events", events_router)
api.add_router("/intros", intros_router)
api.add_router("/vouches", vouches_router)
api.add_router("/matching", matching_router)
api.add_router("/referrals", referrals_router)
