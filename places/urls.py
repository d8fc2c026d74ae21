from django.urls import path

from places import views

app_name = "places"

urlpatterns = [path("cities/", views.city_suggestions, name="city_suggestions")]
