from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("", views.suggestions, name="suggestions"),
    path("<int:member_id>/dismiss/", views.dismiss, name="dismiss"),
    path("weights/", views.weights, name="weights"),
]
