from django.urls import path  # noqa: F401 - the routes are being written

app_name = "notifications"

urlpatterns: list = []
