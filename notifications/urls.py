from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("settings/", views.preferences_edit, name="preferences"),
    path("digest/", views.digest_view, name="digest"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
