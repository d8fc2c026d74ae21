from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("", views.suggestions, name="suggestions"),
    path("<int:member_id>/dismiss/", views.dismiss, name="dismiss"),
    path("weights/", views.weights, name="weights"),
    path("pairings/", views.pairings, name="pairings"),
    path("pairings/<int:pairing_id>/met/", views.pairing_met, name="pairing_met"),
    path("circles/<slug:slug>/pairing/", views.pairing_settings, name="pairing_settings"),
    path("circles/<slug:slug>/pairing/run/", views.pairing_run, name="pairing_run"),
]
