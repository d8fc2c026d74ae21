"""The site's URLs with the circles API mounted at /api/circles.

cercle/api.py mounts each app's router; until it mounts this one, the tests mount it on an API
of their own, with the same token authentication, in front of the site's URLs.
"""

from django.urls import path
from ninja import NinjaAPI

from cercle import urls as site_urls
from cercle.api import TokenAuth, api
from circles.api import router

if any(mounted is router for _prefix, mounted in api._routers):
    urlpatterns = site_urls.urlpatterns
else:
    circles_api = NinjaAPI(auth=TokenAuth(), docs_url=None, urls_namespace="circles_api_tests")
    circles_api.add_router("/circles", router)
    urlpatterns = [path("api/", circles_api.urls), *site_urls.urlpatterns]
