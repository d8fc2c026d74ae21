"""The JSON API root. Each app adds its router; OpenAPI schema at /api/openapi.json."""

from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cer_…` with a token made on the "API tokens" page."""

    def authenticate(self, request, token):
        from people.services import api_token_user

        user = api_token_user(key=token)
        if user is not None:
            request.user = user
            user.api_tokens.filter(last_used_at__isnull=True).update(last_used_at=timezone.now())
        return user


api = NinjaAPI(
    title="Cercle API",
    version="1",
    description="Profiles and members of Cercle, seen through each member's own privacy settings.",
    auth=TokenAuth(),
    docs_url=None,  # the interactive docs would load scripts from a CDN; the schema is enough
    urls_namespace="api",
)

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
