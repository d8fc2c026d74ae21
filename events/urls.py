from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("new/", views.event_create, name="event_create"),
    path("<int:event_id>/", views.event_detail, name="event_detail"),
    path("<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("<int:event_id>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:event_id>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("<int:event_id>/met/", views.event_met, name="event_met"),
    path("<int:event_id>/check-in/", views.event_checkin, name="event_checkin"),
    path("<int:event_id>/ticket/", views.event_ticket, name="event_ticket"),
    path("ticket/<str:ticket_token>/", views.ticket_checkin, name="ticket_checkin"),
]
