from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cercle import views
from cercle.api import api

# The admin has no log-in form of its own: visitors are sent to the members' log-in (allauth's
# documented "secure admin login"), so its failures meet the same throttle and counters; a
# signed-in member who is not staff gets a 403.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("hello", views.hello, name="hello"),
    # Members' pages are the most visited: their prefixes are tried first.
    path("", include("people.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("places/", include("places.urls")),
    path("network/", include("network.urls")),
    path("circles/", include("circles.urls")),
    path("events/", include("events.urls")),
    path("", include("events.urls_agenda")),
    path("notifications/", include("notifications.urls")),
    path("meet/", include("matching.urls")),
    path("intros/", include("intros.urls")),
    path("vouches/", include("vouches.urls")),
    path("referrals/", include("referrals.urls")),
]

if settings.DEBUG:
    admin.site.site_header = "Cercle (development)"
