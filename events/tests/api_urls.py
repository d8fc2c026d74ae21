"""The site's URLs plus the events router on an API of its own, for test_api.

cercle/api.py (not this app's file) mounts the router for real; the tests exercise the same
router with the same bearer-token authentication, whether or not it is mounted there yet.
"""

from django.urls import path
from ninja import NinjaAPI

from cercle.api import TokenAuth
from cercle.urls import urlpatterns as site_urlpatterns
from events.api import router

api = NinjaAPI(title="events (tests)", auth=TokenAuth(), docs_url=None, urls_namespace="events-api-tests")
api.add_router("/events", router)

urlpatterns = [path("test-api/", api.urls), *site_urlpatterns]
