"""The agenda, the calendars (.ics) and the iCal feeds, mounted at the site's root."""

from django.urls import path

from events import views_agenda as views

app_name = "agenda"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/feeds/", views.feed_list, name="feed_list"),
    path("agenda/feeds/add/", views.feed_add, name="feed_add"),
    path("agenda/feeds/<int:feed_id>/remove/", views.feed_delete, name="feed_remove"),
    path("agenda/feeds/<int:feed_id>/refresh/", views.feed_refresh, name="feed_refresh"),
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendars/events/<int:event_id>.ics", views.event_ics, name="event_ics"),
    path("calendars/circles/<slug:slug>.ics", views.circle_ics, name="circle_ics"),
    path("calendars/private/<str:token>.ics", views.my_ics, name="my_ics"),
]
